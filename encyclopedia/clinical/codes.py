"""Clinical code systems: how a code is written, checked and compared.

An entry lists the codes it explains as ``codes: [{system: icd10cm, code: D89.831}, …]``.
ICD-10-CM codes are kept in their dotted form (``D89.831``); a code written without the dot
is the same code.  SNOMED CT identifiers are checked by their Verhoeff check digit.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import yamlnodes as yn

ICD10CM = "icd10cm"
SNOMEDCT = "snomedct"
SYSTEMS = {ICD10CM: "ICD-10-CM", SNOMEDCT: "SNOMED CT"}
OIDS = {"2.16.840.1.113883.6.90": ICD10CM, "2.16.840.1.113883.6.96": SNOMEDCT}
OID_OF = {system: oid for oid, system in OIDS.items()}

# A category (letter, digit, digit or letter), then up to four characters after the dot.
_ICD10CM = re.compile(r"^([A-TV-Z][0-9][0-9AB])\.?([0-9A-Z]{1,4})?$")
_SNOMED = re.compile(r"^[1-9][0-9]{5,17}$")

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def _verhoeff_ok(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def normal_icd10cm(code: str) -> str | None:
    """``code`` in its dotted upper-case form, or None when it is not written as an ICD-10-CM code."""
    match = _ICD10CM.match(code.strip().upper())
    if not match:
        return None
    category, rest = match.groups()
    return f"{category}.{rest}" if rest else category


def normal_code(system: str, code: str) -> str | None:
    """The code as stored, or None when it is malformed for ``system``."""
    if system == ICD10CM:
        return normal_icd10cm(code)
    code = code.strip()
    return code if _SNOMED.match(code) and _verhoeff_ok(code) else None


def _problem(system: str, code: str) -> str:
    if system == ICD10CM:
        return (f"`{code}` is not an ICD-10-CM code; write a letter, two characters, and up to four more "
                f"after a dot, such as D89.831")
    return f"`{code}` is not a SNOMED CT identifier (6 to 18 digits whose last is the Verhoeff check digit)"


def _item(node: Node) -> tuple[str, str]:
    if not isinstance(node, MappingNode):
        raise yn.NodeError(yn.line(node), f"each item of `codes` must be `{{system: icd10cm, code: D89.831}}`, "
                                          f"not {yn.kind(node)}")
    values: dict[str, str] = {}
    for key, key_node, value in yn.mapping_items(node, "a `codes` item"):
        if key not in ("system", "code"):
            raise yn.NodeError(yn.line(key_node), f"unknown key `{key}` in a `codes` item; the keys are system and code")
        if not isinstance(value, ScalarNode) or value.value.strip() == "":
            raise yn.NodeError(yn.line(value), f"`{key}` of a `codes` item must be text")
        values[key] = value.value.strip()
    for key in ("system", "code"):
        if key not in values:
            raise yn.NodeError(yn.line(node), f"a `codes` item needs `{key}`")
    system = values["system"].lower()
    if system not in SYSTEMS:
        raise yn.NodeError(yn.line(node), f"unknown code system `{values['system']}`; the systems are "
                                          f"{', '.join(SYSTEMS)}")
    code = normal_code(system, values["code"])
    if code is None:
        raise yn.NodeError(yn.line(node), _problem(system, values["code"]))
    return system, code


def read_codes(node: Node, field: str, limit: int | None = None) -> tuple[tuple[str, str], ...]:
    """The ``codes`` field: (system, code) pairs in file order; a problem names the item's line."""
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return ()
    if not isinstance(node, SequenceNode):
        raise yn.NodeError(yn.line(node), f"`{field}` must be a list of `{{system: …, code: …}}` items, "
                                          f"not {yn.kind(node)}")
    seen: dict[tuple[str, str], int] = {}
    for item in node.value:
        pair = _item(item)
        if pair in seen:
            raise yn.NodeError(yn.line(item), f"{SYSTEMS[pair[0]]} code {pair[1]} is listed twice in `codes`; keep one")
        seen[pair] = yn.line(item)
    return tuple(seen)


def codes_to_json(value) -> list[dict]:
    return [{"system": system, "code": code} for system, code in value]


def codes_from_json(value) -> tuple[tuple[str, str], ...]:
    return tuple((item["system"], item["code"]) for item in value or ())


def shown(codes) -> list[dict]:
    """Stored codes for a page: system name and code."""
    return [{"system": SYSTEMS.get(item["system"], item["system"]), "code": item["code"]} for item in codes or ()]
