"""Bundled example datasets (package data)."""
