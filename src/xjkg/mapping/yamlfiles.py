"""YAML files of the corpus (``report.yaml``, ``vocab/*.yaml``, ``mapping/*.yaml``), read safely.

The file is read by :func:`xjkg.core.textfiles.read_text` (a regular file, capped, strict UTF-8, no control
characters), then parsed by PyYAML's safe loader held to three more rules: no aliases (``*name``: an alias
bomb expands ten nested anchors into gigabytes), no duplicate key (PyYAML keeps the last silently, dropping
the first list), nesting at most :data:`MAX_DEPTH` deep (the composer recurses). Every refusal names the file
and the line, exit 2.

Every mapping read carries its line as ``__line__``, so a message can name the file and the line;
:func:`strip_lines` takes the keys away again where only the values matter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xjkg.core.errors import EXIT_BAD_INPUT, XjkgError
from xjkg.core.textfiles import read_text

__all__ = ["MAX_DEPTH", "read_yaml", "strip_lines"]

#: The deepest nesting of lists and mappings accepted (the corpus's files nest four deep).
MAX_DEPTH = 40


class _RefusedError(Exception):
    """A rule of ours broken at a place of the file (turned into an XjkgError naming it)."""

    def __init__(self, mark: Any, problem: str) -> None:  # a yaml Mark (Python or libyaml), or None
        super().__init__(problem)
        self.mark, self.problem = mark, problem


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping and refuses aliases, duplicates, deep nesting."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's parser is untyped
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedError(event.start_mark, f"alias *{event.anchor} refused (xjkg reads YAML without aliases)")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _RefusedError(event.start_mark, f"nested more than {MAX_DEPTH} deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # a 5,000-digit integer, 2010-13-45 as a date
            raise _RefusedError(node.start_mark, f"cannot read the value: {exc}") from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):
            raise _RefusedError(key_node.start_mark, "a key must be text")
        if key in seen:
            raise _RefusedError(key_node.start_mark, f"duplicate key {key!r} (the mapping gives it twice)")
        seen.add(key)
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, *, within: Path | None = None) -> Any:
    """A YAML file read safely, every mapping carrying its ``__line__``; errors name file, line, column.

    ``within``: the folder a symbolic link may lead into (default: the file's own folder).
    """
    path = Path(path)
    text = read_text(path, within=within if within is not None else path.parent, what="YAML file")
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except _RefusedError as exc:
        line = f":{exc.mark.line + 1}:{exc.mark.column + 1}" if exc.mark else ""
        raise XjkgError(f"{path}{line}: {exc.problem}", EXIT_BAD_INPUT) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise XjkgError(f"{path}{line}: not valid YAML: {exc.problem}", EXIT_BAD_INPUT) from None
    except yaml.YAMLError as exc:  # ReaderError and the like: one line, never a traceback
        raise XjkgError(f"{path}: not valid YAML: {' '.join(str(exc).split())}", EXIT_BAD_INPUT) from None


def strip_lines(value: Any) -> Any:
    """``value`` without the ``__line__`` keys :func:`read_yaml` adds."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
