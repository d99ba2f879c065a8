"""Page state written as a JavaScript function call rather than JSON (Nuxt 2).

Nuxt 2 serialises its state as `window.__NUXT__=(function(a,b,c){return {...}}(1299,
"SEK",!0))`: an object literal with unquoted keys whose repeated values are the
function's parameters. This module turns that into plain data without running any
code: a small scanner copies strings verbatim, quotes keys, and replaces parameter
names, `void 0`, `!0` and `!1` by their JSON values. Anything it does not understand
makes it give up (None), never guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_CHARS = 2_000_000

_IIFE = re.compile(r"(?:window\.)?(__[A-Z_]+__)\s*=\s*\(?\s*function\s*\(([^)]{0,5000})\)\s*\{"
                   r"\s*return\s*")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def iife_states(code: str) -> Iterator[tuple[str, Any]]:
    """(name, value) for each `__NAME__=(function(params){return {...}}(args))` in `code`."""
    if len(code) > MAX_CHARS:
        return
    for m in _IIFE.finditer(code):
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        body_end = _literal_end(code, m.end())
        if body_end is None:
            continue
        rest = code[body_end:]
        call = re.match(r"\s*;?\s*\}\s*\)?\s*\(", rest)
        if call is None:
            continue
        args_start = body_end + call.end()
        args_end = _args_end(code, args_start)
        if args_end is None:
            continue
        args = _to_json(code[args_start:args_end], {})
        if args is None:
            continue
        try:
            values = json.loads(f"[{args}]")
        except (ValueError, RecursionError):
            continue
        env = {p: json.dumps(values[i]) if i < len(values) else "null"
               for i, p in enumerate(params)}
        body = _to_json(code[m.end():body_end], env)
        if body is None:
            continue
        try:
            yield m.group(1), json.loads(body)
        except (ValueError, RecursionError):
            continue


def _literal_end(code: str, start: int) -> int | None:
    """The index just after the object literal starting at `start` (strings skipped)."""
    if start >= len(code) or code[start] not in "{[":
        return None
    close = _args_end(code, start + 1)
    return None if close is None else close + 1


def _args_end(code: str, start: int) -> int | None:
    """The index of the bracket closing one opened just before `start` (the `)` of a
    call's arguments, the `}` of a literal); brackets inside strings are skipped."""
    depth = 0
    i = start
    while i < len(code):
        ch = code[i]
        if ch in "\"'":
            i = _string_end(code, i)
            if i < 0:
                return None
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return None


def _string_end(code: str, start: int) -> int:
    quote = code[start]
    i = start + 1
    while i < len(code):
        if code[i] == "\\":
            i += 2
            continue
        if code[i] == quote:
            return i + 1
        i += 1
    return -1


def _to_json(src: str, env: dict[str, str]) -> str | None:
    """A JS literal (objects, arrays, strings, numbers, params) as JSON text, or None."""
    out: list[str] = []
    i = 0
    prev = ""
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "\"'":
            end = _string_end(src, i)
            if end < 0:
                return None
            text = src[i:end]
            if ch == "'":
                inner = text[1:-1].replace('\\"', '"').replace("\\'", "'")
                text = json.dumps(inner)
            out.append(text)
            prev = "v"
            i = end
            continue
        if ch in "{}[],:":
            out.append(ch)
            prev = ch
            i += 1
            continue
        if ch == "!" and i + 1 < len(src) and src[i + 1] in "01":
            out.append("true" if src[i + 1] == "0" else "false")
            prev = "v"
            i += 2
            continue
        num = _NUMBER.match(src, i)
        if num and (ch.isdigit() or ch in "-."):
            out.append(num.group(0) if not num.group(0).startswith(".") else "0" + num.group(0))
            prev = "v"
            i = num.end()
            continue
        ident = _IDENT.match(src, i)
        if ident is None:
            return None
        word = ident.group(0)
        j = ident.end()
        while j < len(src) and src[j].isspace():
            j += 1
        if prev in ("{", ",") and j < len(src) and src[j] == ":":
            out.append(json.dumps(word))  # an unquoted key
        elif word == "void" and src[j:j + 1] == "0":
            out.append("null")
            j += 1
        elif word in ("true", "false", "null"):
            out.append(word)
        elif word in env:
            out.append(env[word])
        else:
            return None  # code we do not understand (calls, new Date, ...)
        prev = "v"
        i = j
    return "".join(out)
