// HTTP2: see DESIGN.md
