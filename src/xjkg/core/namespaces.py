"""Namespaces as rdflib objects (the prefix table is :data:`xjkg.core.rdf.PREFIX_TABLE`), and the one place IRIs
for things are minted."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

from xjkg.core.rdf import ALL_PREFIXES
from xjkg.core.rdf import PREFIXES as _PREFIXES

__all__ = [
    "ADMS",
    "BASE_ID",
    "CUR",
    "DCAT",
    "DCATAP",
    "DCTERMS",
    "FOAF",
    "GEO",
    "ID",
    "LOCN",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SDMX_ATTRIBUTE",
    "SDMX_DIMENSION",
    "SDMX_MEASURE",
    "SH",
    "SKOS",
    "SPDX",
    "TIME",
    "UNIT",
    "VCARD",
    "VOID",
    "WD",
    "XJKG",
    "XSD",
    "mint",
    "slugify",
]

BASE_ID = _PREFIXES["id"]
XJKG = Namespace(_PREFIXES["xjkg"])
ID = Namespace(BASE_ID)
QB = Namespace(_PREFIXES["qb"])
SDMX_DIMENSION = Namespace(_PREFIXES["sdmx-dimension"])
SDMX_ATTRIBUTE = Namespace(_PREFIXES["sdmx-attribute"])
SDMX_MEASURE = Namespace(_PREFIXES["sdmx-measure"])
OA = Namespace(_PREFIXES["oa"])
UNIT = Namespace(_PREFIXES["unit"])
CUR = Namespace(_PREFIXES["cur"])
SCHEMA = Namespace(_PREFIXES["schema"])
WD = Namespace(_PREFIXES["wd"])
# the release catalogue's (DCAT-AP)
SPDX, VCARD, ADMS, DCATAP, LOCN, GEO = (
    Namespace(ALL_PREFIXES[p]) for p in ("spdx", "vcard", "adms", "dcatap", "locn", "geo")
)

# The prefix table itself lives in the RDF core (:data:`xjkg.core.rdf.PREFIX_TABLE`); these are its namespaces
# as rdflib objects, and a test checks that every one above is the table's.
PREFIXES = _PREFIXES

_SLUG = re.compile(r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$")


def slugify(text: str) -> str:
    """A readable IRI segment: lower case ASCII words joined by hyphens.

    >>> slugify("Luopu County (Lop)")
    'luopu-county-lop'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def mint(kind: str, slug: str) -> URIRef:
    """The IRI of a thing: ``https://w3id.org/xjkg/id/<kind>/<slug>``; deterministic and readable.

    >>> mint("county", "luopu")
    rdflib.term.URIRef('https://w3id.org/xjkg/id/county/luopu')
    """
    path = f"{kind}/{slug}"
    if not _SLUG.match(path):
        raise ValueError(f"not a readable IRI path: {path!r} (lower-case letters, digits, '-' and '/')")
    return ID[path]
