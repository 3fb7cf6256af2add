// The NodeExec module; see DESIGN.md §2.
