"""xjkg: a knowledge graph of poverty alleviation in Xinjiang, built from one IPRCC report.

The pipeline, one module a stage: :mod:`xjkg.source` (the report) → :mod:`xjkg.extract` (quantity
mentions) → :mod:`xjkg.mapping` (what each mention means) → :mod:`xjkg.build` (the graph) →
shapes / store / queries / export / server.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
