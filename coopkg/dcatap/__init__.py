"""The official DCAT-AP 3.0.1 SHACL shapes (SEMIC, CC BY 4.0, (c) European Union), pruned: README.md."""
