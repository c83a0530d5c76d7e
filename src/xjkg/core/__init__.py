"""The small core every stage may use: RDF terms, namespaces, IRIs, errors, paths, atomic writes, readers."""
