"""How a stored photo leaves the server: as the type its re-encoded bytes truly are, never
sniffed into anything else, cached by the browser only."""

from __future__ import annotations

from litestar import Response

PHOTO_MEDIA_TYPE = "image/*"
"""For the OpenAPI: JPEG or PNG, whichever the upload was re-encoded as."""


def photo_response(content: bytes, content_type: str) -> Response[bytes]:
    headers = {"Cache-Control": "private", "X-Content-Type-Options": "nosniff"}
    return Response(content, media_type=content_type, headers=headers)
