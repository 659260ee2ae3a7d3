"""Reports: a :class:`~grader.results.GradeResult` rendered for a reader.
Reports decide nothing and never run requests."""
