"""YAML rule files read with their line numbers, so every error can name its line."""

from __future__ import annotations

from typing import Any

import yaml

from .conditions import RuleError


class LinedDict(dict):
    """A YAML mapping that knows its line and the line of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


class LinedList(list):
    """A YAML sequence that knows its line and the line of each of its items."""

    line: int = 0
    item_lines: list[int]


def _convert(node: yaml.Node) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LinedDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node)
            if key in out:
                raise RuleError(f"line {key_node.start_mark.line + 1}: '{key}' appears twice")
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LinedList(_convert(item) for item in node.value)
        seq.line, seq.item_lines = line, [item.start_mark.line + 1 for item in node.value]
        return seq
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def read_rule_file(text: str) -> LinedDict:
    """Parse YAML into dicts and lists that know their line numbers."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "the file"
        raise RuleError(f"{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise RuleError("line 1: the file must be a mapping of keys to values")
    return _convert(node)


def line_of(mapping: Any, key: Any) -> int:
    lines = getattr(mapping, "key_lines", {})
    return lines.get(key, getattr(mapping, "line", 0))
