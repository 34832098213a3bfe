// EtcdProto: see DESIGN.md
