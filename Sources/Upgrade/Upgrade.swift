// The Upgrade module; see DESIGN.md §2.
