// SkewCore: the pure domain of kubeskew; see DESIGN.md §2.
