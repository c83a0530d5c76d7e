"""Where the project's files are: anchored on the package, never on the working directory.

In a wheel the ontology, queries and the corpus (``data/``) ship inside the package (``xjkg/ontology`` …,
see ``[tool.hatch.build.targets.wheel.force-include]``); in a checkout or an editable install they are
the top-level folders of the repository. One function decides which.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CATALOG_TEMPLATE",
    "DATA_DIR",
    "GRAPH_FILE",
    "ONTOLOGY_FILE",
    "QUERIES_DIR",
    "SHAPES_FILE",
    "VOCAB_DIR",
    "resource_dir",
]

_PACKAGE = Path(__file__).resolve().parent.parent  # src/xjkg, or the installed package
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``queries``, ``data``) as shipped in the wheel or in the checkout.

    >>> resource_dir("ontology").name
    'ontology'
    """
    for base in (_PACKAGE, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"xjkg is installed without its {name}/ folder (looked in {_PACKAGE} and {_CHECKOUT})")


ONTOLOGY_FILE = resource_dir("ontology") / "xjkg.ttl"
SHAPES_FILE = resource_dir("ontology") / "shapes.ttl"
#: The static part of a release's DCAT catalogue (:func:`xjkg.publish.metadata.build_metadata` adds what is computed).
CATALOG_TEMPLATE = resource_dir("ontology") / "catalog.ttl"
QUERIES_DIR = resource_dir("queries")
#: The project's corpus (``xjkg.mapping.corpus``): the default of ``--corpus``.
DATA_DIR = resource_dir("data")
#: The shared vocabularies shipped with xjkg; a user corpus's own ``vocab/`` extends them.
VOCAB_DIR = DATA_DIR / "vocab"
GRAPH_FILE = DATA_DIR / "xjkg.ttl"
