"""Response bodies compressed once and kept: brotli for clients that take it, else gzip.

Brotli's best quality shrinks the map's JSON and scripts a fifth more than gzip, but costs
about a second a megabyte, so it is used where the result is kept (files, cached payloads)
and the quality steps down as bodies grow. Small per-request bodies get a fast quality.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Request, Response
from werkzeug.datastructures import Accept

#: Bodies smaller than this are sent as they are.
MIN_BYTES = 1024
#: (largest body, brotli quality) for bodies that are kept; past the last, FAST_QUALITY.
KEPT_QUALITIES = ((256 * 1024, 11), (1024 * 1024, 10))
#: For bodies made per request, and kept bodies too large for the slow qualities.
FAST_QUALITY = 5
#: Types worth compressing besides text/*.
TEXT_TYPES = frozenset({"application/json", "application/javascript", "image/svg+xml"})


@dataclass(frozen=True)
class Compressed:
    """One body, brotli- and gzip-compressed."""

    br: bytes
    gzip: bytes
    size: int

    @property
    def stored_bytes(self) -> int:
        """What keeping this costs in memory."""
        return len(self.br) + len(self.gzip)

    def raw(self) -> bytes:
        """The uncompressed body (for the rare client that takes neither)."""
        return gzip.decompress(self.gzip)


def kept_quality(size: int) -> int:
    """The brotli quality for a body of ``size`` bytes that will be kept and reused.

    >>> kept_quality(10_000), kept_quality(800_000), kept_quality(8_000_000)
    (11, 10, 5)
    """
    for largest, quality in KEPT_QUALITIES:
        if size <= largest:
            return quality
    return FAST_QUALITY


def compress(data: bytes) -> Compressed:
    """``data`` to be kept, in both encodings: brotli at :func:`kept_quality`, gzip at 9."""
    return Compressed(
        br=brotli.compress(data, quality=kept_quality(len(data))),
        gzip=gzip.compress(data, 9, mtime=0),
        size=len(data),
    )


def preferred(accept: Accept) -> str | None:
    """``"br"``, ``"gzip"`` or None (neither), from a request's Accept-Encoding."""
    if accept["br"]:
        return "br"
    if accept["gzip"]:
        return "gzip"
    return None


def send(
    response: Response, body: Compressed, accept: Accept, raw: bytes | None = None
) -> Response:
    """Put ``body`` into ``response`` in the best encoding the client takes (``raw``, if
    given, for a client that takes neither)."""
    encoding = preferred(accept)
    response.vary.add("Accept-Encoding")
    if encoding == "br":
        response.set_data(body.br)
    elif encoding == "gzip":
        response.set_data(body.gzip)
    else:
        response.set_data(body.raw() if raw is None else raw)
        return response
    response.headers["Content-Encoding"] = encoding
    return response


def compress_response(response: Response, accept: Accept) -> Response:
    """Compress a response made for this request (fast quality), if worth it."""
    response.vary.add("Accept-Encoding")
    encoding = preferred(accept)
    if encoding is None:
        return response
    data = response.get_data()
    if len(data) < MIN_BYTES:
        return response
    if encoding == "br":
        response.set_data(brotli.compress(data, quality=FAST_QUALITY))
    else:
        response.set_data(gzip.compress(data, 6, mtime=0))
    response.headers["Content-Encoding"] = encoding
    return response


def send_file(path: Path, request: Request, *, max_age: int | None, immutable: bool) -> Response:
    """A file, read and compressed once per process, revalidated by its ETag.

    ``max_age`` None: the browser revalidates every time (a 304 costs nothing).
    """
    data, packed, digest = _file_bytes(path, path.stat().st_mtime_ns)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = Response(mimetype=mimetype)
    if packed is None:
        response.set_data(data)
    else:
        send(response, packed, request.accept_encodings, raw=data)
    response.set_etag(digest, weak=True)
    response.cache_control.public = True
    if max_age is None:
        response.cache_control.no_cache = True
    else:
        response.cache_control.max_age = max_age
        response.cache_control.immutable = immutable
    response.make_conditional(request)
    return response


@lru_cache(maxsize=128)
def _file_bytes(path: Path, mtime_ns: int) -> tuple[bytes, Compressed | None, str]:
    """A file's bytes, compressed when its type is text and it is worth it, and a hash."""
    data = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or ""
    text = mimetype.startswith("text/") or mimetype in TEXT_TYPES
    packed = compress(data) if text and len(data) >= MIN_BYTES else None
    return data, packed, hashlib.sha256(data).hexdigest()[:32]
