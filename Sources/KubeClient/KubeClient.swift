// The KubeClient module; see DESIGN.md §2.
