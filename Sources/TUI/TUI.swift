// The TUI module; see DESIGN.md §2.
