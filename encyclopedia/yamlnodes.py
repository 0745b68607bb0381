"""Typed reading of YAML through PyYAML's node API, so every problem has a line.

``yaml.compose`` keeps each value's position and the tag YAML 1.1 resolved for it,
which lets us refuse YAML's surprises (``NO`` is a boolean, ``1.10`` a float) with a
hint to quote, instead of silently storing ``False`` as a title.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml is much faster for the whole content folder; same node API
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

STR = "tag:yaml.org,2002:str"
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


class NodeError(Exception):
    """A problem at a line of the YAML text (1-based, relative to that text)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def line(node: Node) -> int:
    return node.start_mark.line + 1


def compose(text: str) -> Node | None:
    """Parse YAML text into a node tree, or raise NodeError with the line at fault."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        raise NodeError(where, f"invalid YAML: {what}; check indentation, colons and quotes") from None
    except yaml.YAMLError as exc:
        raise NodeError(1, f"invalid YAML: {exc}") from None


def kind(node: Node) -> str:
    return _TAG_NAMES.get(node.tag, "a value of another type")


def mapping_items(node: Node, what: str) -> list[tuple[str, Node, Node]]:
    """(key, key node, value node) for a mapping; duplicate keys are refused."""
    if not isinstance(node, MappingNode):
        raise NodeError(line(node), f"{what} must be a mapping of `key: value` lines, not {kind(node)}")
    seen: dict[str, int] = {}
    items = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise NodeError(line(key_node), f"{what}: keys must be plain names")
        key = key_node.value
        if key in seen:
            raise NodeError(line(key_node), f"`{key}` is given twice (first on line {seen[key]}); keep one")
        seen[key] = line(key_node)
        items.append((key, key_node, value_node))
    return items


def quote_hint(field: str, node: ScalarNode) -> str:
    return f'put it in quotes: {field}: "{node.value}"'


def text(node: Node, field: str, *, allow_empty: bool = False, max_length: int | None = None) -> str:
    """A text value: a YAML string, never a value YAML turned into something else."""
    if isinstance(node, ScalarNode) and node.tag != STR and not node.style and node.value != "":
        raise NodeError(
            line(node),
            f"`{field}` must be text, but YAML reads `{node.value}` as {kind(node)}; {quote_hint(field, node)}",
        )
    if not isinstance(node, ScalarNode):
        raise NodeError(line(node), f"`{field}` must be text, not {kind(node)}")
    value = node.value.strip()
    if not value and not allow_empty:
        raise NodeError(line(node), f"`{field}` is empty; write the {field.replace('-', ' ')}")
    if max_length is not None and len(value) > max_length:
        raise NodeError(line(node), f"`{field}` is {len(value)} characters long; keep it under {max_length}")
    return value


def text_list(node: Node, field: str) -> list[str]:
    """A list of text values; a single text value counts as a list of one."""
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return []
    if isinstance(node, ScalarNode):
        return [text(node, field)]
    if not isinstance(node, SequenceNode):
        raise NodeError(line(node), f"`{field}` must be a list such as [one, two], not {kind(node)}")
    return [text(item, f"{field} item") for item in node.value]


def flag(node: Node, field: str) -> bool:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in {"true", "yes", "on", "y"}
    raise NodeError(line(node), f"`{field}` must be true or false")


def integer(node: Node, field: str) -> int:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            pass
    raise NodeError(line(node), f"`{field}` must be a whole number, such as 3")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date(node: Node, field: str) -> dt.date:
    """An ISO date (YYYY-MM-DD), quoted or not, that exists on the calendar."""
    if isinstance(node, ScalarNode) and node.tag in {STR, "tag:yaml.org,2002:timestamp"}:
        value = node.value.strip()
        if _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise NodeError(line(node), f"`{field}`: {value} is not a real date; check the month and day") from None
    shown = node.value if isinstance(node, ScalarNode) else kind(node)
    raise NodeError(line(node), f"`{field}` must be a date written YYYY-MM-DD, such as 2026-11-25, not `{shown}`")


def year(node: Node, field: str) -> int:
    """A year: ``2018``, ``"2018"``, a date, or CSL ``{date-parts: [[2018, 3]]}``."""
    if isinstance(node, MappingNode):
        for key, _key_node, value in mapping_items(node, field):
            if key == "date-parts" and isinstance(value, SequenceNode) and value.value:
                first = value.value[0]
                if isinstance(first, SequenceNode) and first.value:
                    return year(first.value[0], field)
            if key == "literal" and isinstance(value, ScalarNode):
                match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value.value)
                if match:
                    return int(match.group(1))
        raise NodeError(line(node), f"`{field}` needs a year, such as {field}: 2018")
    if isinstance(node, ScalarNode):
        match = re.match(r"^\s*(\d{4})(?:-\d{2}(?:-\d{2})?)?\s*$", node.value)
        if match:
            return int(match.group(1))
    raise NodeError(line(node), f"`{field}` needs a year, such as {field}: 2018")


def scalar_text(node: Node, field: str) -> str:
    """Text or a number kept as written (volume, issue, page, PMID)."""
    if isinstance(node, ScalarNode) and node.tag in {STR, "tag:yaml.org,2002:int"}:
        value = node.value.strip()
        if value:
            return value
    raise NodeError(line(node), f"`{field}` must be text or a number, such as {field}: \"12\"")
