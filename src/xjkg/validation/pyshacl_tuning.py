"""Three changes to how pySHACL walks our shapes, on for the current thread while xjkg's fast engine runs it
(:func:`xjkg.validation.engine.check`); the reference engine (``check(engine="pyshacl")``) and other threads
keep pySHACL as it is.

* **Focus nodes limit the targets only.** pySHACL's ``focus_nodes`` option filters the focus nodes of
  *every* shape evaluation, nested ones included: ``sh:or``, ``sh:not``, ``sh:node``,
  ``sh:qualifiedValueShape`` and ``sh:property`` checks of a value node (a literal, a node of the
  background) then see nothing and pass, or fail, wrongly. Here the option limits the targets of the
  top-level shapes, as its documentation says ("validate only those nodes"), and nested checks run on
  their value nodes as in a whole validation.
* **Property shapes once per node shape.** pySHACL evaluates ``sh:property`` by validating the property
  shape separately for each focus node of the node shape: each call looks up the shape's parameters,
  builds its constraint components and walks the path for one node. Validating the property shape
  once with every focus node is what pySHACL does for a property shape with its own targets, and gives
  the same results (each constraint component works node by node over the same ``{focus node: value
  nodes}`` map): the work done once per shape instead of once per node.

* **No descriptions for results nobody reads.** ``sh:not``, ``sh:or``, ``sh:and``, ``sh:xone`` and
  ``sh:qualifiedValueShape`` check their value nodes against other shapes and keep only whether each
  conforms; the results those checks make (each with its message text and the value node written out,
  ~40% of the time on a big graph) are dropped. Inside such a check, a result is a stand-in holding its
  severity (all pySHACL reads of it there); the results of the top-level shapes, and of ``sh:node`` outside
  such checks (it nests them as ``sh:detail``), are made as before.

The patches are installed on first use; if pySHACL's internals differ from those these were written
for (0.40, the version pyproject.toml pins), nothing is installed, :func:`tuned` yields False, and the caller
validates everything. Why they exist and how they are tested: ``docs/validation.md``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["tuned"]

log = logging.getLogger(__name__)

_state = threading.local()
_installed: bool | None = None  # None: not tried yet; False: pySHACL differs, left alone


def _install() -> bool:
    global _installed
    if _installed is not None:
        return _installed
    try:
        from pyshacl.constraints.constraint_component import ConstraintComponent
        from pyshacl.constraints.core.logical_constraints import (
            AndConstraintComponent,
            NotConstraintComponent,
            OrConstraintComponent,
            XoneConstraintComponent,
        )
        from pyshacl.constraints.core.shape_based_constraints import (
            PropertyConstraintComponent,
            QualifiedValueShapeConstraintComponent,
        )
        from pyshacl.consts import SH_resultSeverity
        from pyshacl.errors import ReportableRuntimeError
        from pyshacl.shape import Shape
        from rdflib import BNode
    except ImportError:
        _installed = False
        return False
    make_v_result = ConstraintComponent.make_v_result
    if make_v_result.__code__.co_varnames[:3] != ("self", "datagraph", "focus_node"):
        log.info("pySHACL's make_v_result differs from the one tuned here: left as it is")
        _installed = False
        return False
    checking = (
        NotConstraintComponent,
        OrConstraintComponent,
        AndConstraintComponent,
        XoneConstraintComponent,
        QualifiedValueShapeConstraintComponent,
    )
    shape_validate = Shape.validate
    if shape_validate.__code__.co_varnames[:5] != ("self", "executor", "target_graph", "focus", "_evaluation_path"):
        log.info("pySHACL's Shape.validate differs from the one tuned here: left as it is")
        _installed = False
        return False
    original = getattr(PropertyConstraintComponent, "_evaluate_property_shape", None)
    if original is None or original.__code__.co_varnames[:7] != (
        "self",
        "executor",
        "prop_shape",
        "target_graph",
        "focus_value_nodes",
        "potentially_recursive",
        "_evaluation_path",
    ):
        log.info("pySHACL's property evaluation differs from the one batched here: left as it is")
        _installed = False
        return False

    def evaluate(
        self: Any,
        executor: Any,
        prop_shape: Any,
        target_graph: Any,
        focus_value_nodes: dict[Any, Any],
        potentially_recursive: Any,
        _evaluation_path: list[Any],
    ) -> tuple[bool, list[Any]]:
        values = [v for nodes in focus_value_nodes.values() for v in nodes]
        if not getattr(_state, "on", False) or len(values) < 2 or len(set(values)) != len(values):
            # A value node reached from two focus nodes is checked twice by pySHACL (two results): kept so.
            result: tuple[bool, list[Any]] = original(
                self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, _evaluation_path
            )
            return result
        found = self.shape.get_other_shape(prop_shape)
        if potentially_recursive and found in potentially_recursive:
            recursive: tuple[bool, list[Any]] = original(
                self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, _evaluation_path
            )
            return recursive
        if not found or not found.is_property_shape:
            raise ReportableRuntimeError(f"'{prop_shape}' is not a well-formed SHACL PropertyShape.")
        conforms, reports = found.validate(executor, target_graph, focus=values, _evaluation_path=_evaluation_path[:])
        return (not conforms), reports

    def validate(self: Any, executor: Any, target_graph: Any, focus: Any = None, _evaluation_path: Any = None) -> Any:
        saved = executor.focus_nodes
        if focus is None or not saved or not getattr(_state, "on", False):
            return shape_validate(self, executor, target_graph, focus=focus, _evaluation_path=_evaluation_path)
        executor.focus_nodes = None  # a nested check (or explicit focus): not limited by the option
        try:
            return shape_validate(self, executor, target_graph, focus=focus, _evaluation_path=_evaluation_path)
        finally:
            executor.focus_nodes = saved

    def result(self: Any, datagraph: Any, focus_node: Any, *args: Any, **kwargs: Any) -> Any:
        stack = getattr(_state, "checking", None)
        if stack and getattr(_state, "on", False) and (len(stack) > 1 or stack[-1] is not self):
            # Made inside a conformance check, read only for its severity (pySHACL's filter of allowed
            # severities): a stand-in with that triple, no text.
            node = BNode()
            return "", node, [(node, SH_resultSeverity, self.shape.severity)]
        return make_v_result(self, datagraph, focus_node, *args, **kwargs)

    def checked(original_evaluate: Any) -> Any:
        def evaluate_checking(self: Any, executor: Any, target_graph: Any, *args: Any, **kwargs: Any) -> Any:
            stack = getattr(_state, "checking", None)
            if stack is None:
                stack = _state.checking = []
            stack.append(self)
            try:
                return original_evaluate(self, executor, target_graph, *args, **kwargs)
            finally:
                stack.pop()

        return evaluate_checking

    for component in checking:
        component.evaluate = checked(component.evaluate)  # type: ignore[method-assign]
    ConstraintComponent.make_v_result = result  # type: ignore[method-assign]
    PropertyConstraintComponent._evaluate_property_shape = evaluate  # type: ignore[method-assign]
    Shape.validate = validate  # type: ignore[method-assign]
    _installed = True
    return True


@contextmanager
def tuned() -> Iterator[bool]:
    """Within (this thread): focus nodes limit targets only, property shapes run once per node shape.

    Yields whether the changes are on (False: pySHACL's internals differ; do not pass ``focus_nodes``).
    """
    on = _install()
    previous = getattr(_state, "on", False)
    _state.on = on
    try:
        yield on
    finally:
        _state.on = previous
