"""What a query sent to `normgraph serve` may reach: SERVICE only to an allow-list, requests only by known names.

Owns: finding every `SERVICE` clause of a SPARQL query text (skipping strings, IRIs and comments,
so `"SERVICE"` in a literal or `ex:service` is not one) and checking the IRI it names against
the allow-list (empty by default: a web page that makes a browser send a query cannot turn the
endpoint into a proxy to other services on the machine); and checking a request's Host header
against the names the server answers to (IP literals, `localhost`, and names given with
`--allow-host`), which defeats DNS rebinding.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

_NAME_CHAR = re.compile(r"[\w\-.\u00b7\u0300-\u036f\u203f-\u2040]")
_IRI_REF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")


class Refused(Exception):
    """A request the endpoint will not serve; the message says why and what to do."""


def _skip(text: str, i: int) -> int:
    """The offset after the string, IRI or comment starting at text[i], else i."""
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if ch in "\"'":
        quote = ch * 3 if text.startswith(ch * 3, i) else ch
        j = i + len(quote)
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(quote, j):
                return j + len(quote)
            if len(quote) == 1 and text[j] in "\r\n":
                return j  # an unterminated short string: the engine will reject the query
            j += 1
        return len(text)
    if ch == "<":
        match = _IRI_REF.match(text, i)
        if match:
            return match.end()
    return i


def service_targets(text: str) -> Iterator[str | None]:
    """The IRI of every SERVICE clause, in order; None where it is a variable or prefixed name."""
    i, n = 0, len(text)
    while i < n:
        j = _skip(text, i)
        if j != i:
            i = j
            continue
        if text[i : i + 7].upper() == "SERVICE" and (i == 0 or not _NAME_CHAR.match(text[i - 1])) \
                and text[i - 1 : i] not in {"?", "$", ":"} and not _NAME_CHAR.match(text[i + 7 : i + 8] or " ") \
                and text[i + 7 : i + 8] != ":":
            k = _after_blanks(text, i + 7)
            if text[k : k + 6].upper() == "SILENT" and not _NAME_CHAR.match(text[k + 6 : k + 7] or " "):
                k = _after_blanks(text, k + 6)
            match = _IRI_REF.match(text, k)
            yield match.group(1) if match else None
            i = k
            continue
        i += 1


def _after_blanks(text: str, i: int) -> int:
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            i = _skip(text, i)
        else:
            break
    return i


def _allowed(iri: str, allow: Iterable[str]) -> bool:
    target = urlsplit(iri)
    if not target.scheme or not target.netloc:
        return False
    for entry in allow:
        prefix = urlsplit(entry)
        if (target.scheme, target.netloc.lower()) == (prefix.scheme, prefix.netloc.lower()) \
                and target.path.startswith(prefix.path):
            return True
    return False


def check_services(text: str, allow: tuple[str, ...] = ()) -> None:
    """Refused unless every SERVICE of the query names, in full, an IRI under an allowed prefix."""
    for iri in service_targets(text):
        if iri is None:
            raise Refused("SERVICE with a variable or a prefixed name is refused: write the service IRI in full")
        if not _allowed(iri, allow):
            listed = ", ".join(allow) or "none"
            raise Refused(f"SERVICE <{iri}> is refused: this endpoint only federates with the services "
                          f"given with --allow-service (now: {listed})")


def host_allowed(host_header: str | None, allowed_names: tuple[str, ...] = ()) -> bool:
    """Is the Host header an IP literal, localhost, or a name the server was told to answer to?"""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:port
        name = host[1:].split("]", 1)[0]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name in {"localhost", *(n.lower() for n in allowed_names)} or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


__all__ = ["Refused", "check_services", "host_allowed", "service_targets"]
