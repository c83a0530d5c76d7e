"""SHACL-SPARQL constraints (SHACL 1.0 §5, ``sh:sparql`` with ``sh:select``) run by pyoxigraph, fast.

pySHACL runs each ``sh:sparql`` query once per focus node on rdflib's engine (tens of seconds to minutes
for our graph). Here each query runs ONCE on a pyoxigraph store holding the same data graph, with all
the focus nodes of the shape's targets bound as ``VALUES ?this { … }``: the block goes first in the
WHERE group, first in every group that filters or binds with ``$this``, and first in every subquery
that projects and uses ``$this``, so ``FILTER NOT EXISTS { $this … }``, ``OPTIONAL`` and aggregates see the
same ``$this`` as SHACL's pre-binding (§5.3.1) would. The body of an ``EXISTS`` at the top level of the
WHERE group gets no block (it is evaluated with the outer solution's ``$this``), nor does a subquery that
only projects ``$this``: a block there would join every focus node once per outer solution, time quadratic
in the number of focus nodes
(:func:`xjkg.validation.shacl_plan.plan_query`). ``$this`` is added to the projection (and to
``GROUP BY`` where the query aggregates), so each solution says whose it is; a query with ``LIMIT`` or
``OFFSET`` runs once per focus node instead. Blank-node focus nodes cannot appear in ``VALUES``: a
custom function hands the store's own blank node to a ``BIND``. A top-level ``FILTER NOT EXISTS`` of
plain triple patterns runs as a second query joined on the shared variables
(:class:`~xjkg.validation.shacl_plan.AntiJoin`):
Oxigraph 0.5 evaluates such a filter in time quadratic in the focus nodes; the join is linear
(bench/README.md has the figures).

Each solution becomes a result as §5.3.2 says (first rule that applies): ``sh:focusNode`` ``?this``;
``sh:resultPath`` ``?path`` if it is an IRI, else the property shape's ``sh:path``; ``sh:value``
``?value``, else the focus node for a node shape; ``sh:resultMessage`` each ``sh:message`` of the
constraint (else of the shape) with ``{?var}``/``{$var}`` replaced; ``sh:sourceConstraint``,
``sh:sourceShape``, ``sh:resultSeverity``, ``sh:SPARQLConstraintComponent``. A solution binding
``?failure`` to true is a failure (an error), not a result.

What is not reproduced here stays with pySHACL (see :func:`split_shapes`): a shape used inside another
(``sh:node``, ``sh:not``, ``sh:and``/``sh:or``/``sh:xone``, ``sh:qualifiedValueShape``, a property shape
of a property shape) or with SHACL-AF ``sh:target``; SPARQL-based constraint *components*
(``sh:validator`` …) are not ``sh:sparql`` triples and stay with pySHACL too.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from xjkg.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, XjkgError
from xjkg.core.namespaces import OWL, RDF, RDFS, SH
from xjkg.core.rdf import rdflib_literal, rdflib_to_ox, rdflib_to_wire, sparql_term
from xjkg.core.sparql_safety import Token, check_query, refuse_from, tokenize
from xjkg.validation.shacl_plan import Plan, plan_query

__all__ = ["SparqlConstraint", "SplitShapes", "evaluate_sparql", "focus_nodes", "sparql_path", "split_shapes"]

log = logging.getLogger(__name__)

_BNODE_FUNCTION = "urn:xjkg:fn:blank-node"  # a custom function: label → the store's blank node
_BNODE_VAR = "xjkg_focus_blank_node"
_ROW_VAR = "xjkg_row"  # numbers the outer solutions in an anti-join
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}  # as pySHACL adds them
_NESTING = (SH.node, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["and"], SH["or"], SH.xone)
_IRI_SAFE = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of one shape, its query prepared (prefixes, ``$PATH``) and analysed."""

    shape: Node
    node: Node  # the value of sh:sparql
    query: str
    messages: tuple[Literal, ...]
    severity: Node
    path: Node | None  # sh:path of a property shape
    where: str  # names the constraint in errors
    plan: Plan


@dataclass
class SplitShapes:
    """The shapes graph for pySHACL (without the ``sh:sparql`` triples run here) and those constraints."""

    core: Graph
    constraints: list[SparqlConstraint] = field(default_factory=list)
    kept: list[Node] = field(default_factory=list)  # shapes whose sh:sparql pySHACL keeps (nested use)


# ---------------------------------------------------------------------------------------------- shapes


def _true(graph: Graph, node: Node, predicate: URIRef) -> bool:
    return any(isinstance(v, Literal) and v.value is True for v in graph.objects(node, predicate))


def _nested_shapes(shapes: Graph) -> set[Node]:
    """Shapes evaluated inside another shape's conformance check, and everything they hold."""
    todo: list[Node] = []
    for predicate in _NESTING:
        todo.extend(shapes.objects(None, predicate))
    for predicate in _LISTS:
        for head in shapes.objects(None, predicate):
            todo.extend(Collection(shapes, head))
    for subject, shape in shapes.subject_objects(SH.property):
        if shapes.value(subject, SH.path) is not None:  # a property shape of a property shape
            todo.append(shape)
    seen: set[Node] = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        todo.extend(shapes.objects(shape, SH.property))
        for predicate in _NESTING:
            todo.extend(shapes.objects(shape, predicate))
        for predicate in _LISTS:
            for head in shapes.objects(shape, predicate):
                todo.extend(Collection(shapes, head))
    return seen


def split_shapes(shapes: Graph, name: str = "shapes") -> SplitShapes:
    """Take the ``sh:sparql`` constraints we can run exactly out of ``shapes``; pySHACL gets the rest.

    ``name`` names the shapes in errors. Raises :class:`XjkgError` (exit 2) for a constraint SHACL does
    not allow (no or several ``sh:select``, ``sh:ask``, ``MINUS``, ``VALUES``, ``$PATH`` in a node shape …).
    """
    core = Graph()
    for prefix, namespace in shapes.namespaces():  # pySHACL writes nodes in messages with the shapes' prefixes
        core.bind(prefix, namespace, override=True, replace=True)
    core += shapes
    split = SplitShapes(core=core)
    nested = _nested_shapes(shapes)
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        if shape in nested or (shape, SH.target, None) in shapes:
            split.kept.append(shape)
            continue
        for node in sorted(shapes.objects(shape, SH.sparql), key=str):
            if not _true(shapes, node, SH.deactivated):
                split.constraints.append(_constraint(shapes, shape, node, name))
            core.remove((shape, SH.sparql, node))
    return split


def _short(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


def _constraint(shapes: Graph, shape: Node, node: Node, name: str) -> SparqlConstraint:
    where = f"{name}: the sh:sparql constraint of {_short(shape)}"
    if (node, SH.ask, None) in shapes:
        raise XjkgError(
            f"{where} uses sh:ask: SHACL allows sh:ask only in SPARQL-based constraint components "
            "(sh:validator); an sh:sparql constraint needs one sh:select",
            EXIT_BAD_INPUT,
        )
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise XjkgError(f"{where} needs exactly one sh:select (a string), not {len(selects)}", EXIT_BAD_INPUT)
    text = str(selects[0])
    path = shapes.value(shape, SH.path)
    tokens = tokenize(text, where)
    refuse_from(text, tokens, where)  # pySHACL runs the constraint on rdflib, which would fetch a FROM IRI
    for token in tokens:
        upper = token.text.upper()
        if token.kind == "word" and upper in ("MINUS", "VALUES"):
            raise XjkgError(f"{where}: SHACL does not allow {upper} in a SPARQL constraint", EXIT_BAD_INPUT)
        if token.kind == "var" and token.text[1:] == "shapesGraph":
            raise XjkgError(f"{where}: $shapesGraph is not supported (nor by pySHACL)", EXIT_BAD_INPUT)
    for before, token in itertools.pairwise(tokens):
        if before.text.upper() == "AS" and token.text[1:] in ("this", "currentShape"):
            raise XjkgError(f"{where}: SHACL does not allow re-binding {token.text} with AS", EXIT_BAD_INPUT)
    if any(t.text == "$PATH" for t in tokens):
        if path is None:
            raise XjkgError(f"{where} uses $PATH, but the shape is not a property shape", EXIT_BAD_INPUT)
        text = _substitute_path(text, tokens, _sparql_path(shapes, path, where))
    query = _prefix_lines(shapes, node, where, tokens) + text
    check_query(query, where)  # SERVICE, LOAD, deep nesting are refused; syntax errors located
    # The constraint's messages and the shape's, as pySHACL reports them (a result carries both).
    messages = [m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)]
    messages += [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal) and m not in messages]
    return SparqlConstraint(
        shape=shape,
        node=node,
        query=query,
        messages=tuple(sorted(messages, key=lambda m: (m.language or "", str(m)))),
        severity=shapes.value(shape, SH.severity) or SH.Violation,
        path=path,
        where=where,
        plan=plan_query(query, where),
    )


def _prefix_lines(shapes: Graph, node: Node, where: str, tokens: list[Token]) -> str:
    """``sh:prefixes`` → ``PREFIX`` declarations, all on the first line (error lines stay the query's).

    A prefix the query uses but does not declare is taken from rdflib's default bindings (``org:``,
    ``skos:`` …), with a warning: pySHACL's queries see them through the data graph, so both engines
    read such a shape alike.
    """
    table = dict(_DEFAULT_PREFIXES)
    declared: dict[str, str] = {}
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal):
                raise XjkgError(f"{where}: an sh:declare needs sh:prefix and sh:namespace", EXIT_BAD_INPUT)
            ns = str(namespace)
            if not _IRI_SAFE.fullmatch(ns) or not re.fullmatch(r"[\w.\-]*", str(prefix)):
                raise XjkgError(f"{where}: bad prefix declaration {prefix!s}: {ns}", EXIT_BAD_INPUT)
            if declared.get(str(prefix), ns) != ns:
                raise XjkgError(f"{where}: prefix {prefix!s}: declared twice, differently", EXIT_BAD_INPUT)
            declared[str(prefix)] = ns
    table.update(declared)
    used = {t.text.split(":", 1)[0] for t in tokens if t.kind == "name" and not t.text.startswith("_:")}
    if used - set(table):
        defaults = {name: str(ns) for name, ns in Graph().namespaces()}
        for missing in sorted(used - set(table)):
            if missing not in defaults:
                raise XjkgError(f"{where}: prefix {missing}: is not declared (sh:prefixes)", EXIT_BAD_INPUT)
            log.warning("%s: prefix %s: is not declared (sh:prefixes); using <%s>", where, missing, defaults[missing])
            table[missing] = defaults[missing]
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in sorted(table.items()))


def sparql_path(graph: Graph, node: Node, depth: int = 0) -> str | None:
    """A SHACL path as SPARQL property-path text (``<p>``, ``^<p>``, ``<a>/<b>``, ``(<a>|<b>)``, ``(<p>)*``),
    or None if ``node`` is not a SHACL path (or nests deeper than 32).

    One printer for the query text the fast engine runs and the path a validation report shows.
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if depth > 32 or not isinstance(node, BNode):
        return None

    def inner(of: Node) -> str | None:
        return sparql_path(graph, of, depth + 1)

    for key, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        value = graph.value(node, key)
        if value is not None:
            text = inner(value)
            return None if text is None else f"({text}){suffix}"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        text = inner(inverse)
        if text is None:
            return None
        return f"^{text}" if isinstance(inverse, URIRef) else f"^({text})"
    alternatives = graph.value(node, SH.alternativePath)
    members = Collection(graph, alternatives if alternatives is not None else node)
    if alternatives is None and graph.value(node, RDF.first) is None:
        return None
    parts = [inner(n) for n in members]
    if any(p is None for p in parts):
        return None
    return "(" + "|".join(parts) + ")" if alternatives is not None else "/".join(parts)  # type: ignore[arg-type]


def _sparql_path(shapes: Graph, path: Node, where: str) -> str:
    text = sparql_path(shapes, path)
    if text is None:
        raise XjkgError(f"{where}: its sh:path is not a SHACL path", EXIT_BAD_INPUT)
    return text


def _substitute_path(text: str, tokens: list[Token], path: str) -> str:
    out, last = [], 0
    for token in tokens:
        if token.text == "$PATH":
            out.append(text[last : token.start])
            out.append(path)
            last = token.start + len(token.text)
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------- the store


class _Store:
    """A pyoxigraph store holding an rdflib graph, and the way back from its terms to the graph's."""

    def __init__(self, graph: Graph) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        self.to_ox: dict[Node, Any] = {}
        self.blank: dict[Node, str] = {}  # rdflib blank node → label in the store
        self.blank_back: dict[str, Node] = {}
        self.literals: dict[tuple[Any, ...], Literal] = {}
        # a generator, not a list: a list of every quad would add to the peak memory of validation
        self.store.bulk_extend(ox.Quad(self.term(s), self.term(p), self.term(o)) for s, p, o in graph)
        self.functions: dict[Any, Any] = {ox.NamedNode(_BNODE_FUNCTION): lambda label: ox.BlankNode(label.value)}

    def label(self, node: Node) -> str:
        found = self.blank.get(node)
        if found is None:
            found = self.blank[node] = f"b{len(self.blank)}"
            self.blank_back[found] = node
        return found

    def term(self, node: Node) -> Any:
        found = self.to_ox.get(node)
        if found is not None:
            return found
        found = rdflib_to_ox(node, self.label)
        if isinstance(node, Literal):
            self.literals.setdefault(_literal_key(node), node)
        self.to_ox[node] = found
        return found

    def back(self, term: Any) -> Node | None:
        """The graph's own term for a store term (decimals are stored as values: "1.50" comes back "1.5")."""
        ox = self.ox
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return self.blank_back.get(term.value) or BNode(term.value)
        if isinstance(term, ox.Literal):
            fresh = rdflib_literal(term.value, term.datatype.value, term.language or "")
            return self.literals.get(_literal_key(fresh), fresh)
        raise XjkgError(f"an RDF-star triple term in a SPARQL constraint's results: {term}", EXIT_FAILED)

    def block(self, nodes: Iterable[Node], shape: Node | None) -> str:
        """``VALUES ?this { … }`` (blank nodes through the custom function), and ``?currentShape``."""
        iris, blanks = [], []
        for node in nodes:
            if isinstance(node, BNode):
                blanks.append(f'"{self.label(node)}"')
            else:
                wire = rdflib_to_wire(node)
                assert wire is not None
                iris.append(sparql_term(wire))
        text = f"VALUES ?this {{ {' '.join(iris)} }}"
        if blanks:
            text = (
                f"{{ {text} }} UNION {{ VALUES ?{_BNODE_VAR} {{ {' '.join(blanks)} }} "
                f"BIND(<{_BNODE_FUNCTION}>(?{_BNODE_VAR}) AS ?this) }}"
            )
        if shape is not None:
            if isinstance(shape, BNode):
                text += f' BIND(<{_BNODE_FUNCTION}>("{self.label(shape)}") AS ?currentShape)'
            else:
                text += f" VALUES ?currentShape {{ <{shape}> }}"
        return f" {text} "


def _literal_key(literal: Literal) -> tuple[Any, ...]:
    """Literals equal by value (same datatype) share a key; ``"x"`` and ``"x"^^xsd:string`` too."""
    datatype = literal.datatype
    if datatype is not None and str(datatype) == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    value = literal.value if literal.value is not None and datatype is not None else str(literal)
    try:
        hash(value)
    except TypeError:
        value = str(literal)
    return (str(datatype or ""), (literal.language or "").lower(), value)


# ---------------------------------------------------------------------------------------------- running


def focus_nodes(shape: Node, shapes: Graph, data: Graph, seen: frozenset[Node] = frozenset()) -> set[Node]:
    """The focus nodes of a shape's targets (SHACL 1.0 §2.1.3), and of the node shapes holding it."""
    if shape in seen or _true(shapes, shape, SH.deactivated):
        return set()
    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    classes = set(shapes.objects(shape, SH.targetClass))
    class_types = set(shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class))
    if any(t in class_types for t in shapes.objects(shape, RDF.type)):
        classes.add(shape)  # implicit class target
    for cls in classes:
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(s for s, _ in data.subject_objects(predicate))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(o for _, o in data.subject_objects(predicate))
    for owner in shapes.subjects(SH.property, shape):
        nodes |= focus_nodes(owner, shapes, data, seen | {shape})
    return nodes


def evaluate_sparql(
    constraints: list[SparqlConstraint], data: Graph, shapes: Graph, only: set[Node] | None = None
) -> Graph:
    """Run the constraints on ``data``; the results as ``sh:ValidationResult`` nodes in a new graph.

    The graph also holds the blank-node paths and shapes the results cite (so a report is complete).
    ``only``: evaluate just these focus nodes (of those the targets select): the new data's nodes
    when the rest of ``data`` is background whose results nobody reads.

    >>> shapes = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> sh:targetNode <urn:a>, <urn:b> ;
    ...     sh:sparql [ sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <urn:p> ?o } }" ] .''')
    >>> data = Graph().parse(format="nt", data='<urn:b> <urn:p> "1" .')
    >>> report = evaluate_sparql(split_shapes(shapes).constraints, data, shapes)
    >>> [str(focus) for focus in report.objects(None, SH.focusNode)]
    ['urn:a']
    """
    report = Graph()
    if not constraints:
        return report
    store: _Store | None = None  # built only when some constraint has focus nodes
    focus_cache: dict[Node, set[Node]] = {}
    for constraint in constraints:
        if constraint.shape not in focus_cache:
            found = focus_nodes(constraint.shape, shapes, data)
            focus_cache[constraint.shape] = found if only is None else found & only
        focus = sorted(focus_cache[constraint.shape], key=lambda n: (type(n).__name__, str(n)))
        if not focus:
            continue
        if store is None:
            store = _Store(data)
        batches = [[node] for node in focus] if constraint.plan.per_node else [focus]
        seen: set[tuple[Any, ...]] = set()
        plan = constraint.plan
        for batch in batches:
            shape = constraint.shape if plan.current_shape else None
            block = store.block(batch, shape)
            rows = None if plan.anti is None else _anti_solutions(store, constraint, block)
            if rows is None:
                rows = _solutions(store, plan.render(constraint.query, block), constraint.where)
            for solution in rows:
                _add_result(report, constraint, solution, shapes, seen)
    return report


def _anti_solutions(store: _Store, constraint: SparqlConstraint, block: str) -> list[dict[str, Node]] | None:
    """The solutions of a query with a top-level ``FILTER NOT EXISTS``, by two queries (see :class:`AntiJoin`).

    None when a shared variable is bound to a blank node (VALUES cannot hold one): run the query as is.
    """
    anti = constraint.plan.anti
    assert anti is not None
    start, end = anti.span
    text = constraint.query[:start] + " " * (end - start) + constraint.query[end:]
    outer = _solutions(store, constraint.plan.render(text, block), constraint.where, raw=True)
    if not outer:
        return []
    ox = store.ox
    matched: set[int] = set()
    if anti.shared:
        rows = []
        for index, row in enumerate(outer):
            terms = [row.get(v) for v in anti.shared]
            if any(
                isinstance(t, ox.BlankNode) or not isinstance(t, (ox.NamedNode, ox.Literal, type(None))) for t in terms
            ):
                return None
            rows.append(f"({index} " + " ".join("UNDEF" if t is None else str(t) for t in terms) + ")")
        names = " ".join(f"?{v}" for v in anti.shared)
        for chunk in range(0, len(rows), 5000):
            query = (
                f"{anti.head}SELECT DISTINCT ?{_ROW_VAR} WHERE {{ VALUES (?{_ROW_VAR} {names}) "
                f"{{ {' '.join(rows[chunk : chunk + 5000])} }} {anti.inner} }}"
            )
            for solution in _solutions(store, query, constraint.where, raw=True):
                matched.add(int(solution[_ROW_VAR].value))
    else:  # G shares no variable: it matches for every solution or for none
        query = f"{anti.head}ASK {{ {anti.inner} }}"
        try:
            if store.store.query(query):
                return []
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise XjkgError(f"{constraint.where}: the query failed: {exc}", EXIT_FAILED) from None
    out = []
    for index, row in enumerate(outer):
        if index in matched:
            continue
        converted: dict[str, Node] = {}
        for name, term in row.items():
            if name in anti.added:
                continue
            back = store.back(term)
            if back is not None:
                converted[name] = back
        out.append(converted)
    return out


def _solutions(store: _Store, query: str, where: str, raw: bool = False) -> list[dict[str, Any]]:
    """The solutions as rows of rdflib terms (or of the store's own terms, ``raw``)."""
    try:
        result: Any = store.store.query(query, custom_functions=store.functions)
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row: dict[str, Any] = {}
            for name in variables:
                term = solution[name] if raw else store.back(solution[name])
                if term is not None:
                    row[name] = term
            rows.append(row)
    except SyntaxError as exc:  # our rewriting broke the query: a bug, said plainly
        raise XjkgError(f"{where}: the rewritten query does not parse: {exc}", EXIT_FAILED) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise XjkgError(f"{where}: the query failed: {exc}", EXIT_FAILED) from None
    return rows


def _add_result(
    report: Graph, constraint: SparqlConstraint, row: dict[str, Node], shapes: Graph, seen: set[tuple[Any, ...]]
) -> None:
    """One solution → one ``sh:ValidationResult`` (SHACL 1.0 §5.3.2), identical solutions once."""
    focus = row.get("this")
    if focus is None:
        return
    failure = row.get("failure")
    if isinstance(failure, Literal) and failure.value is True:
        raise XjkgError(f"{constraint.where} reported a failure (?failure) for {_short(focus)}", EXIT_FAILED)
    path = row.get("path") if isinstance(row.get("path"), URIRef) else constraint.path
    value = row.get("value")
    if value is None and constraint.path is None:
        value = focus
    messages = tuple(_substitute(m, row) for m in constraint.messages)
    key = (focus, path, value, messages)
    if key in seen:
        return
    seen.add(key)
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    if path is not None:
        report.add((result, SH.resultPath, path))
        _copy_blank(shapes, path, report)
    if value is not None:
        report.add((result, SH.value, value))
    for message in messages:
        report.add((result, SH.resultMessage, message))
    report.add((result, SH.resultSeverity, constraint.severity))
    report.add((result, SH.sourceConstraint, constraint.node))
    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    report.add((result, SH.sourceShape, constraint.shape))
    _copy_blank(shapes, constraint.shape, report)
    _copy_blank(shapes, constraint.node, report)


def _substitute(message: Literal, row: dict[str, Node]) -> Literal:
    """``{?var}`` and ``{$var}`` → the variable's value (as text); unbound ones stay as written."""

    def value(found: re.Match[str]) -> str:
        term = row.get(found.group(1))
        return found.group(0) if term is None else str(term)

    text = re.sub(r"\{[?$]([A-Za-z_0-9\u00b7\u00c0-\uffff]+)\}", value, str(message))
    return Literal(text, lang=message.language) if message.language else Literal(text)


def _copy_blank(source: Graph, node: Node, target: Graph) -> None:
    """A blank node's description (a path, a property shape), nested blank nodes included."""
    todo, done = [node], set()
    while todo:
        subject = todo.pop()
        if not isinstance(subject, BNode) or subject in done:
            continue
        done.add(subject)
        for p, o in source.predicate_objects(subject):
            target.add((subject, p, o))
            todo.append(o)
