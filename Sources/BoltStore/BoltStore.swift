// BoltStore: see DESIGN.md
