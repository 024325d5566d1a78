"""What ``coopkg serve`` sends back, whatever was asked: a status, a media type, a body, and the
content negotiation that picks the media type from an Accept header.

>>> accepted("text/csv;q=0.5, application/json, */*;q=0")
[('application/json', 1.0), ('text/csv', 0.5)]
>>> choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ["text/html", "text/turtle"])
'text/html'
>>> choose("text/*", ["application/ld+json", "text/turtle"])
'text/turtle'
>>> choose("image/png", ["text/html", "text/turtle"]) is None
True
>>> Response.text(404, "not here").body
b'not here\\n'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class HttpError(Exception):
    """An answer other than success: an HTTP status and a message for a person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = int(status)
        self.message = message


@dataclass
class Response:
    """What to send back: status, media type, body, extra headers, and a note for the server's log."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def __post_init__(self) -> None:
        self.status = int(self.status)  # an HTTPStatus is an int; keep it plain for logs and pickles

    @classmethod
    def text(cls, status: int, message: str, note: str | None = None) -> Response:
        """A plain-text answer (errors, the service description)."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode(), note=note)


def accepted(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, best first (order kept among equals); q=0 left out."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((media.lower(), quality, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def choose(header: str, offered: Sequence[str]) -> str | None:
    """The first of ``offered`` (media types, the preferred first) that the Accept header takes best;
    the first offered when the header is empty; None when it takes none of them."""
    if not header.strip():
        return offered[0]
    for media, _ in accepted(header):
        if media == "*/*":
            return offered[0]
        for candidate in offered:
            if candidate == media or (media.endswith("/*") and candidate.startswith(media[:-1])):
                return candidate
    return None
