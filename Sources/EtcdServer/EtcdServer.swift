// EtcdServer: see DESIGN.md
