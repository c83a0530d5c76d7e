"""How a SHACL-SPARQL query runs once for all its focus nodes: where ``VALUES ?this`` goes, and what else.

:func:`plan_query` reads a constraint's ``SELECT`` (tokens of :mod:`xjkg.core.sparql_safety`) and returns a
:class:`Plan`: the places the focus-node block goes (first in the WHERE group, in every group that filters
or binds with ``$this``, in every subquery that projects and uses it; none in the body of a top-level
``EXISTS``, which sees the outer solution's ``$this``), ``$this`` added to the projection and to
``GROUP BY``, whether the query must run once per focus node (``LIMIT``/``OFFSET``), and a top-level
``FILTER NOT EXISTS`` to run as a second query (:class:`AntiJoin`). :mod:`xjkg.validation.shacl_sparql` splits the
shapes and runs the plans.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.sparql_safety import Token, tokenize

__all__ = ["AntiJoin", "Plan", "plan_query"]

_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass(frozen=True)
class AntiJoin:
    """A top-level ``FILTER NOT EXISTS { G }`` run as a second query (Oxigraph 0.5 runs it in quadratic time).

    The outer query runs without the filter (its text blanked, so offsets stay), projecting the
    variables ``G`` shares with it too; then ``SELECT DISTINCT ?row { VALUES (?row shared…) {…} G }``
    names the outer solutions for which ``G`` has a match, and those are dropped. For a ``G`` of triple
    patterns and filters only, joining on the shared variables is exactly EXISTS's substitution.
    """

    span: tuple[int, int]  # "FILTER NOT EXISTS { … }" in the query text
    inner: str  # the text of G
    shared: tuple[str, ...]  # variables of G that occur outside it
    added: tuple[str, ...]  # those not already projected (projected for the anti-join, then dropped)
    head: str  # PREFIX declarations before the SELECT


@dataclass(frozen=True)
class Plan:
    """Where the focus-node block goes in a query, and what else it needs."""

    inserts: tuple[tuple[int, str], ...]  # (offset, text); text "\0" is replaced by the block
    per_node: bool  # LIMIT/OFFSET: run once per focus node
    current_shape: bool
    anti: AntiJoin | None = None

    def render(self, text: str, block: str) -> str:
        out, last = [], 0
        for offset, insert in self.inserts:
            out.append(text[last:offset])
            out.append(block if insert == "\0" else insert)
            last = offset
        out.append(text[last:])
        return "".join(out)


def _is_this(token: Token, name: str = "this") -> bool:
    return token.kind == "var" and token.text[1:] == name


def _projection(head: list[Token]) -> tuple[bool, set[str]]:
    """What a SELECT clause's tokens (between SELECT and its WHERE group) project: ``*``, and the plain
    variables (a variable inside ``( … AS ?v)`` is an expression's input, not projected by name)."""
    star, names, parens = False, set(), 0
    for token in head:
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif parens == 0 and token.text == "*":
            star = True
        elif parens == 0 and token.kind == "var":
            names.add(token.text[1:])
    return star, names


def plan_query(text: str, where: str) -> Plan:
    """Find where the focus-node block goes, and what the outer query needs to say whose a solution is."""
    tokens = tokenize(text, where)
    match: dict[int, int] = {}  # index of "{" → index of its "}"
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.text == "{":
            stack.append(i)
        elif token.text == "}" and stack:
            match[stack.pop()] = i

    def where_group(select: int) -> int:
        """The WHERE group of the SELECT at ``select``: the first "{" outside brackets of expressions."""
        parens = 0
        for i in range(select + 1, len(tokens)):
            text_i = tokens[i].text
            if text_i == "(":
                parens += 1
            elif text_i == ")":
                parens -= 1
            elif text_i == "{" and parens == 0:
                return i
        raise XjkgError(f"{where}: no WHERE group", EXIT_BAD_INPUT)

    def projects_this(select: int, group: int) -> bool:
        star, names = _projection(tokens[select + 1 : group])
        return star or "this" in names

    selects = [i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() == "SELECT"]
    if not selects:
        raise XjkgError(f"{where}: an sh:select must hold a SELECT query", EXIT_BAD_INPUT)
    outer = selects[0]
    outer_group = where_group(outer)
    block_at: set[int] = {outer_group}
    # The body of an EXISTS at the top level of the WHERE group (its brace depth 0, in a FILTER) is evaluated
    # for each outer solution, whose $this is the block's (SPARQL substitutes it throughout the body): a block
    # there adds nothing but a join with every focus node per outer solution (quadratic on a large graph).
    exists_bodies: list[tuple[int, int]] = []
    depth = 0
    for i in range(outer_group + 1, match.get(outer_group, len(tokens))):
        text_i = tokens[i].text
        if text_i == "{":
            depth += 1
        elif text_i == "}":
            depth -= 1
        elif depth == 0 and text_i.upper() == "EXISTS" and tokens[i + 1].text == "{" and i + 1 in match:
            exists_bodies.append((i + 1, match[i + 1]))
    skip: list[tuple[int, int]] = []  # token ranges of subqueries that do not project $this
    for select in selects[1:]:
        group = where_group(select)
        start, end = select, match.get(group, len(tokens) - 1)
        inside_exists = any(s <= group <= e for s, e in exists_bodies)  # its $this: the outer solution's
        if projects_this(select, group) and inside_exists:
            skip.append((start, end))
        elif projects_this(select, group) and any(_is_this(t) for t in tokens[group + 1 : end]):
            block_at.add(group)
        elif projects_this(select, group):
            # $this projected but not used in the body (pySHACL wants every sub-select to project it): it
            # leaves the sub-select unbound and joins with any focus node; a block would only multiply rows.
            skip.append((start, end))
        else:
            if any(_is_this(t) for t in tokens[start : end + 1]):
                raise XjkgError(
                    f"{where}: a subquery that uses $this must project it (SHACL 1.0 §5.3.1)", EXIT_BAD_INPUT
                )
            skip.append((start, end))
    # A group that filters or binds needs $this bound inside it when $this occurs in it.
    for open_index, close_index in match.items():
        if any(s <= open_index <= e for s, e in skip) or tokens[open_index + 1].text.upper() == "SELECT":
            continue
        if any(s <= open_index <= e for s, e in exists_bodies):
            continue
        inside = tokens[open_index + 1 : close_index]
        if not any(_is_this(t) for t in inside):
            continue
        depth = 0
        for token in inside:
            if token.text == "{":
                depth += 1
            elif token.text == "}":
                depth -= 1
            elif depth == 0 and token.kind == "word" and token.text.upper() in ("FILTER", "BIND"):
                block_at.add(open_index)
                break
    inserts: list[tuple[int, str]] = [(tokens[i].start + 1, "\0") for i in block_at]

    # The outer query says whose each solution is: $this projected, and grouped on where it aggregates.
    if not projects_this(outer, outer_group):
        after = outer + 1 if tokens[outer + 1].text.upper() not in ("DISTINCT", "REDUCED") else outer + 2
        inserts.append((tokens[after - 1].start + len(tokens[after - 1].text), " ?this"))
    close = match.get(outer_group)
    if close is None:
        raise XjkgError(f"{where}: unbalanced braces", EXIT_BAD_INPUT)
    modifiers = tokens[close + 1 :]
    words = [t.text.upper() for t in modifiers if t.kind == "word"]
    head = tokens[outer:outer_group] + [t for t in modifiers if t.kind != "iri"]
    aggregates = any(
        t.kind == "word" and t.text.upper() in _AGGREGATES and n.text == "(" for t, n in itertools.pairwise(head)
    )
    if "GROUP" in words:
        by = next(t for t in modifiers if t.text.upper() == "BY")
        group_end = next(
            (
                t.start
                for t in modifiers
                if t.kind == "word" and t.text.upper() in ("HAVING", "ORDER", "LIMIT", "OFFSET")
            ),
            len(text),
        )
        grouped = [t for t in modifiers if by.start < t.start < group_end]
        if not any(_is_this(t) for t in grouped):
            inserts.append((by.start + 2, " ?this"))
    elif aggregates:
        inserts.append((tokens[close].start + 1, " GROUP BY ?this"))
    per_node = "LIMIT" in words or "OFFSET" in words
    anti = None
    if len(selects) == 1 and not words and not aggregates:
        anti = _anti_join(text, tokens, match, outer, outer_group)
    if anti is not None and anti.added:
        after = outer + 1 if tokens[outer + 1].text.upper() not in ("DISTINCT", "REDUCED") else outer + 2
        inserts.append((tokens[after - 1].start + len(tokens[after - 1].text), "".join(f" ?{v}" for v in anti.added)))
    return Plan(
        inserts=tuple(sorted(inserts)),
        per_node=per_node,
        current_shape=any(_is_this(t, "currentShape") for t in tokens),
        anti=anti,
    )


_NOT_EXISTS = ["NOT", "EXISTS", "{"]
_ANTI_REFUSED = {"OPTIONAL", "UNION", "BIND", "SELECT", "MINUS", "VALUES", "GRAPH", "SERVICE", "EXISTS", "FILTER"}


def _anti_join(text: str, tokens: list[Token], match: dict[int, int], outer: int, group: int) -> AntiJoin | None:
    """The one top-level ``FILTER NOT EXISTS { triple patterns [FILTER(…)] }`` of the WHERE group, if any."""
    found: list[int] = []
    depth = 0
    for i in range(group + 1, match[group]):
        t = tokens[i].text
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
        elif depth == 0 and t.upper() == "FILTER" and [x.text.upper() for x in tokens[i + 1 : i + 4]] == _NOT_EXISTS:
            found.append(i)
    if len(found) != 1:
        return None
    start = found[0]
    open_i = start + 3
    close_i = match.get(open_i)
    if close_i is None:
        return None
    inner = tokens[open_i + 1 : close_i]
    words = [t.text.upper() for t in inner if t.kind == "word"]
    if (
        any(t.text in ("{", "}") for t in inner)
        or words.count("FILTER") > 1
        or set(words) & (_ANTI_REFUSED - {"FILTER"})
        or any(_is_this(t) or _is_this(t, "currentShape") for t in inner)
    ):
        return None
    inner_vars = {t.text[1:] for t in inner if t.kind == "var"}
    outside = {t.text[1:] for t in tokens[:start] + tokens[close_i + 1 :] if t.kind == "var"}
    shared = tuple(sorted(inner_vars & outside))
    star, projected = _projection(tokens[outer + 1 : group])
    added = () if star else tuple(v for v in shared if v not in projected and v != "this")
    span_end = tokens[close_i].start + 1
    return AntiJoin(
        span=(tokens[start].start, span_end),
        inner=text[tokens[open_i].start + 1 : tokens[close_i].start],
        shared=shared,
        added=added,
        head=text[: tokens[outer].start],
    )
