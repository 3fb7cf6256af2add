// The KubeModel module; see DESIGN.md §2.
