"""Namespaces, declared once, and the one place IRIs for things are minted."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

__all__ = [
    "BASE_ID",
    "CUR",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "ID",
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
    "TIME",
    "UNIT",
    "VOID",
    "WD",
    "XJKG",
    "XSD",
    "mint",
    "slugify",
]

BASE_ID = "https://w3id.org/xjkg/id/"
XJKG = Namespace("https://w3id.org/xjkg/ontology#")
ID = Namespace(BASE_ID)
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
OA = Namespace("http://www.w3.org/ns/oa#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefix → namespace, bound on every graph we write so that outputs read the same everywhere.
PREFIXES: dict[str, str] = {
    "xjkg": str(XJKG),
    "id": BASE_ID,
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "sdmx-measure": str(SDMX_MEASURE),
    "oa": str(OA),
    "prov": str(PROV),
    "org": str(ORG),
    "skos": str(SKOS),
    "time": str(TIME),
    "unit": str(UNIT),
    "cur": str(CUR),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}

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
