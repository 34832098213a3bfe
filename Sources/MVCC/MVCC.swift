// MVCC: see DESIGN.md
