"""SHACL shapes that every submission must conform to, split by concern (package data)."""
