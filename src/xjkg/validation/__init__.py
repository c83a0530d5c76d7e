"""SHACL validation: pySHACL for SHACL Core, our engine for SHACL-SPARQL, one report."""
