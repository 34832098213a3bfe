// WAL: see DESIGN.md
