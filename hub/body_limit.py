"""A cap on the size of request bodies, so no call makes the hub read without end.

Applies to every call but those listed as exempt (journal deliveries have their own
limits, hub/receive.py). A body over the cap is refused with 413 before it is parsed:
by its Content-Length when given, else as soon as the bytes read pass the cap.
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

OFFICE_BODY_LIMIT = 64 * 1024  # bytes: an office call carries a status and a reason


class BodyLimit:
    """ASGI middleware: 413 for a body longer than `limit` on paths not in `exempt`."""

    def __init__(self, app: ASGIApp, limit: int, exempt: tuple[str, ...] = ()) -> None:
        self.app, self.limit, self.exempt = app, limit, exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(send, self.limit)
            return
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > self.limit:  # FastAPI answers an HTTPException raised here
                raise HTTPException(413, _message(self.limit))
            return message

        await self.app(scope, counted, send)


def _message(limit: int) -> str:
    return f"request body over {limit // 1024} KB: refused"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": _message(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
