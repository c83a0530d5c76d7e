"""Stored and ad-hoc SPARQL queries on the embedded store (in a worker) or a remote endpoint."""
