// ProtoWire: see DESIGN.md
