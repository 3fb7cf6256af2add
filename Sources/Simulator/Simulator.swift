// The Simulator module; see DESIGN.md §2.
