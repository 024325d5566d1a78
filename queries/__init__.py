"""The query catalogue: named SPARQL queries with a header (package data)."""
