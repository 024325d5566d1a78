"""Reference data files (gazetteer, identifiers), credited in README.md beside them."""
