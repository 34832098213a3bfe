// Raft: see DESIGN.md
