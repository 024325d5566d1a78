"""The coopkg OWL ontology and its SKOS vocabularies, as Turtle files (package data)."""
