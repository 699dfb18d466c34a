"""Checklist files: YAML text to a :class:`Checklist` and back, with errors that name the line.

A file is ``msgspec.to_builtins(checklist)`` written as YAML. Loading parses with ruamel.yaml's
round-trip loader, which keeps the line of every key and list entry, so that a msgspec
validation error (``$.sections[0].items[3].weight``) and a semantic problem
(``sections[0].items[3].weight``) can both be pointed at a line of the file.
"""

from __future__ import annotations

import io
import math
import re
import types
import typing
from typing import Any

import msgspec
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from checklists.checks import Problem, check_checklist, show
from checklists.model import Checklist


class ChecklistFileError(ValueError):
    """A checklist file that cannot be used. The first problem is the message; all are kept.

    ``path``, ``line`` and ``key`` (the key of the item or section concerned) describe the
    first problem; ``messages`` holds every problem written out as for ``str(error)``.
    """

    def __init__(self, problems: list[Problem], data: Any = None) -> None:
        self.problems = problems
        self.path, self.line, _ = problems[0]
        self.key = _owner(_split(self.path), data)[1]
        self.messages = [format_problem(problem, data) for problem in problems]
        super().__init__(self.messages[0])


def load_checklist(text: str) -> Checklist:
    """Parse, convert and check a checklist file; raise :class:`ChecklistFileError` if bad."""
    data = _parse(text)
    try:
        doc = msgspec.convert(_plain(data), Checklist)
    except msgspec.ValidationError as exc:
        raise ChecklistFileError([_validation_problem(str(exc), data)], data) from None
    problems = [p._replace(line=_locate(data, _split(p.path))[1]) for p in check_checklist(doc)]
    if problems:
        raise ChecklistFileError(problems, data)
    return doc


def format_problem(problem: Problem, data: Any = None) -> str:
    """``line 14, sections[0].items[3] (greeted_promptly).weight: <message>``.

    ``data`` (the loaded file or ``msgspec.to_builtins(doc)``) supplies the item key.
    """
    segments = _split(problem.path)
    at, key = _owner(segments, data)
    where = ""
    for index, segment in enumerate(segments):
        where += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
        if index == at and key is not None:
            where += f" ({key})"
    head = ", ".join(x for x in (problem.line and f"line {problem.line}", where[1:]) if x)
    return f"{head}: {problem.message}" if head else problem.message


# Reading ------------------------------------------------------------------------------------

_SEGMENT = re.compile(r"\.([^.\[\]]+)|\[(\d+|\.\.\.)\]")
_ANY_KEY = "..."  # msgspec writes ``[...]`` for "some value of this dict"
_NAMES = {
    "float": "a number",
    "int": "a whole number",
    "str": "text",
    "bool": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def _parse(text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = Problem("", line, f"YAML syntax error: {exc.problem or exc.context}")
        raise ChecklistFileError([problem]) from None
    except YAMLError as exc:
        raise ChecklistFileError([Problem("", None, f"YAML syntax error: {exc}")]) from None


def _plain(node: Any) -> Any:
    """ruamel's scalar subclasses as plain values; whole-number keys (scale labels) as text."""
    if isinstance(node, dict):
        return {_plain_key(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, ScalarBoolean):
        return bool(node)
    for kind in (bool, str, int, float):
        if isinstance(node, kind):
            return kind(node)
    return node


def _plain_key(key: Any) -> Any:
    return str(key) if isinstance(key, int) and not isinstance(key, bool) else _plain(key)


def _split(path: str) -> list[str | int]:
    path = path.removeprefix("$")
    path = path if not path or path[0] in ".[" else "." + path
    return [int(i) if i.isdigit() else i or n for n, i in _SEGMENT.findall(path)]


def _validation_problem(error: str, data: Any) -> Problem:
    match = re.fullmatch(r"(.*?)(?: - at (`key` in )?`(\$[^`]*)`)?", error, re.DOTALL)
    assert match is not None  # the pattern matches any text
    text, bad_key, path = match[1], match[2], match[3] or "$"
    segments, line, value, tp = _locate(data, _split(path), Checklist)
    field = re.fullmatch(r"Object (missing required|contains unknown) field `(.+)`", text)
    if bad_key:
        key = next(k for k in value if not isinstance(_plain_key(k), str))
        line, text = value.lc.key(key)[0] + 1, f"a key must be text, got {_show(key)}"
    elif field:
        segments, line, value, _ = _locate(data, [*segments, field[2]])
        names = [f.encode_name for f in msgspec.structs.fields(_unoptional(tp))]
        text = "required field is missing"
        if field[1] == "contains unknown":
            text = f"unknown field; expected one of {', '.join(names)}"
    return Problem(_join(segments), line, _explain(text, value, tp))


def _explain(text: str, value: Any, tp: Any) -> str:
    expected = re.fullmatch(r"Expected `(.+?)`, got `(.+)`", text)
    if expected:
        names = [_NAMES.get(name, name) for name in expected[1].split(" | ")]
        either = " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
        return f"expected {either}, got {_show(value)}"
    if text.startswith("Invalid enum value"):
        choices = ", ".join(member.value for member in _unoptional(tp))
        return f"expected one of {choices}, got {_show(value)}"
    return text[:1].lower() + text[1:]


def _show(value: Any) -> str:
    return show(_plain(value))


def _locate(root: Any, segments: list[Any], tp: Any = None) -> tuple[list[Any], int, Any, Any]:
    """Follow ``segments`` through the loaded file: the concrete path, line, value and type.

    A ``[...]`` segment becomes the first value that does not convert to the dict's value type.
    Where a segment is missing, the line is that of the mapping or list lacking it.
    """
    node, done = root, []
    line = root.lc.line + 1 if isinstance(root, (CommentedMap, CommentedSeq)) else 1
    for segment in segments:
        if segment == _ANY_KEY and isinstance(node, dict):
            bad = (k for k, v in node.items() if not _converts(v, _child(tp, k)))
            segment = _plain_key(next(bad, ""))
        tp = _child(tp, segment)
        done.append(segment)
        if isinstance(node, CommentedSeq) and isinstance(segment, int) and segment < len(node):
            line, node = node.lc.item(segment)[0] + 1, node[segment]
        elif isinstance(node, CommentedMap) and (key := _find_key(node, segment)) is not None:
            line, node = node.lc.key(key)[0] + 1, node[key]
        else:
            line = node.lc.line + 1 if isinstance(node, (CommentedMap, CommentedSeq)) else line
            return done, line, None, tp
    return done, line, node, tp


def _find_key(node: CommentedMap, segment: Any) -> Any:
    return next((k for k in node if k == segment or str(k) == str(segment)), None)


def _converts(value: Any, tp: Any) -> bool:
    try:
        msgspec.convert(_plain(value), tp)
    except (msgspec.ValidationError, TypeError):
        return False
    return True


def _unoptional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _child(tp: Any, segment: Any) -> Any:
    """The type of ``tp[segment]`` for a Struct, list or dict type (else ``Any``)."""
    tp = _unoptional(tp)
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        fields = {f.encode_name: f.type for f in msgspec.structs.fields(tp)}
        return fields.get(segment, Any)
    args = typing.get_args(tp)
    return args[-1] if typing.get_origin(tp) in (list, dict) else Any


def _join(segments: list[Any]) -> str:
    path = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segments)
    return path[1:]


def _owner(segments: list[Any], data: Any) -> tuple[int, str | None]:
    """Index of the deepest ``sections[i]`` or ``items[j]`` segment and that entry's key."""
    at, key, node = -1, None, data
    for index, segment in enumerate(segments):
        node = _get(node, segment)
        if isinstance(segment, int) and index and segments[index - 1] in ("sections", "items"):
            found = node.get("key") if isinstance(node, dict) else None
            at, key = index, str(found) if isinstance(found, str) else None
    return at, key


def _get(node: Any, segment: Any) -> Any:
    if isinstance(node, list) and isinstance(segment, int) and segment < len(node):
        return node[segment]
    return node.get(segment) if isinstance(node, dict) else None


# Checking -----------------------------------------------------------------------------------


_WRITABLE = re.compile(
    "[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
"""Text that YAML reads back as written: no control characters, no Unicode line breaks."""
_QUOTED = re.compile(r"(?i)y|n|yes|no|on|off|[?:].*")
"""Text to single-quote: YAML 1.1 readers take ``no`` for false; ruamel writes ``?x`` bare."""
_FLOW_WIDTH = 72
"""Collections (below item level) whose flow form is at most this long stay on one line."""


def dump_checklist(doc: Checklist) -> str:
    """The file for ``doc``: fields in Struct order, but sections and items after the fields.

    Short mappings and lists are written in flow style (``{en: Yes, el: Ναι}``), multiline
    text as literal blocks; ``load_checklist(dump_checklist(doc)) == doc``.
    """
    # Through the Struct once more, so that ``points=2`` written in code dumps as ``2.0``.
    data = msgspec.to_builtins(_tidy(msgspec.convert(msgspec.to_builtins(doc), Checklist)))
    if data.get("critical_policy") == {}:
        del data["critical_policy"]  # a default_factory field, so msgspec writes it anyway
    tree = _block(data, "sections")
    tree["sections"] = CommentedSeq(_block(section, "items") for section in data["sections"])
    for section, raw in zip(tree["sections"], data["sections"], strict=True):
        section["items"] = CommentedSeq(_block(item, None) for item in raw["items"])
    yaml = YAML(typ="rt")
    yaml.width = 4096  # long texts stay on their line; a folded line is harder to diff
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _tidy(value: Any) -> Any:
    """``value`` with defaults as the default objects.

    ``omit_defaults`` compares by identity, so ``weight: 1.0`` read from a file would be
    written out again.
    """
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if not isinstance(value, msgspec.Struct):
        return value
    changes = {}
    for field in msgspec.structs.fields(value):
        current = getattr(value, field.name)
        same = type(current) is type(field.default) and current == field.default
        changes[field.name] = field.default if same else _tidy(current)
    return msgspec.structs.replace(value, **changes)


def _block(data: dict[str, Any], nested: str | None) -> CommentedMap:
    return CommentedMap((k, _node(v)) for k, v in data.items() if k != nested)


def _node(value: Any) -> Any:
    if isinstance(value, str) and not _WRITABLE.fullmatch(value):
        return DoubleQuotedScalarString(value)  # escapes, e.g. "\x85", read as a break if raw
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and _QUOTED.fullmatch(value):
        return SingleQuotedScalarString(value)
    if not isinstance(value, (dict, list)):
        return value
    if isinstance(value, dict):
        node: Any = CommentedMap((k, _node(v)) for k, v in value.items())
    else:
        node = CommentedSeq(_node(v) for v in value)
    if _flow_length(value) <= _FLOW_WIDTH:
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()
    return node


def _flow_length(value: Any) -> float:
    """About how long ``value`` is written in flow style; infinite if it holds a line break."""
    if isinstance(value, str):
        return math.inf if "\n" in value else len(value) + 2
    if isinstance(value, dict):
        parts = [len(str(k)) + 2 + _flow_length(v) for k, v in value.items()]
    elif isinstance(value, list):
        parts = [_flow_length(v) for v in value]
    else:
        return len(str(value))
    return sum(parts) + 2 * len(parts) + 2
