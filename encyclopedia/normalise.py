"""Safe input: normalise an entry's text and refuse what cannot be rendered safely.

Everything here is linear in the size of the text, and runs before Markdown sees it.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ENTRY_CHARS = 200_000
MAX_NESTING = 20

# C0 and C1 control characters except tab and newline (CR is normalised away first),
# lone surrogates, and the bidirectional embedding, override and isolate characters.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN_NAMES = {
    "\x00": "a NUL byte",
    "\u202a": "a left-to-right embedding (U+202A)",
    "\u202b": "a right-to-left embedding (U+202B)",
    "\u202c": "a pop directional formatting (U+202C)",
    "\u202d": "a left-to-right override (U+202D)",
    "\u202e": "a right-to-left override (U+202E)",
    "\u2066": "a left-to-right isolate (U+2066)",
    "\u2067": "a right-to-left isolate (U+2067)",
    "\u2068": "a first strong isolate (U+2068)",
    "\u2069": "a pop directional isolate (U+2069)",
}

# One level of nesting: a blockquote marker or a list marker at the start of a line.
_NESTING_MARKER = re.compile(r" {0,3}(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?")


class InputProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 text of a file's bytes, or InputProblem at the first bad byte's line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputProblem(
            line,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8 in your editor",
        ) from None


def normalise(text: str) -> str:
    """Strip a leading BOM, turn CRLF and CR into LF, and compose to Unicode NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def character_name(char: str) -> str:
    if char in _FORBIDDEN_NAMES:
        return _FORBIDDEN_NAMES[char]
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate (U+{ord(char):04X})"
    return f"the control character U+{ord(char):04X}"


def find_forbidden(text: str, first_line: int = 1) -> list[InputProblem]:
    """Every forbidden character, one problem per line."""
    problems: list[InputProblem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        match = _FORBIDDEN.search(line)
        if match:
            problems.append(
                InputProblem(
                    number,
                    f"{character_name(match.group())} at column {match.start() + 1} is not allowed; "
                    "delete it (it is invisible in most editors, or may hide or reorder text)",
                )
            )
    return problems


def nesting_depth(line: str) -> int:
    """How deeply a line nests lists and blockquotes (indentation counts per 4 columns)."""
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    depth = (len(expanded) - len(stripped)) // 4
    position = 0
    while True:
        match = _NESTING_MARKER.match(stripped, position)
        if not match or match.end() == position:
            return depth
        depth += 1
        position = match.end()


def check_limits(text: str, first_line: int = 1) -> list[InputProblem]:
    """Size and nesting limits, found by one linear pass."""
    problems: list[InputProblem] = []
    if len(text) > MAX_ENTRY_CHARS:
        problems.append(
            InputProblem(
                first_line,
                f"the entry is {len(text):,} characters long; the limit is {MAX_ENTRY_CHARS:,}: "
                "split it into several entries",
            )
        )
        return problems
    for number, line in enumerate(text.split("\n"), start=first_line):
        if nesting_depth(line) > MAX_NESTING:
            problems.append(
                InputProblem(
                    number,
                    f"lists and quotes are nested more than {MAX_NESTING} levels deep here; flatten them",
                )
            )
            break
    return problems
