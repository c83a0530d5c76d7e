"""xjkg: a knowledge graph of poverty alleviation in Xinjiang, built from one IPRCC report.

The pipeline, one module a stage: :mod:`xjkg.text.source` (the report) → :mod:`xjkg.text.extract` (quantity
mentions) → :mod:`xjkg.mapping.model` (what each mention means) → :mod:`xjkg.build.build` (the graph) →
shapes / store / queries / export / server.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
