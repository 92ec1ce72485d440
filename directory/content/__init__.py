"""Editorial content of the information pages, kept as data with a source for every fact."""
