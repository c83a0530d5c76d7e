"""YAML files of the corpus (``report.yaml``, ``vocab/*.yaml``, ``mapping/*.yaml``), read safely.

Every mapping read carries its line as ``__line__``, so a message can name the file and the line;
:func:`strip_lines` takes the keys away again where only the values matter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xjkg.core.errors import XjkgError

__all__ = ["read_yaml", "strip_lines"]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping (for messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """A YAML file read safely, every mapping carrying its ``__line__``; errors name file, line, column."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise XjkgError(f"{path}{line}: not valid YAML: {exc.problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise XjkgError(f"{path}: cannot read: {exc}") from None


def strip_lines(value: Any) -> Any:
    """``value`` without the ``__line__`` keys :func:`read_yaml` adds."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
