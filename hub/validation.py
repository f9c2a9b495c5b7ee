"""The API's answer to a request it cannot validate: where and why, never the input."""

from __future__ import annotations

import json

from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response


def validation_answer(err: RequestValidationError) -> Response:
    """422 naming each field refused and why. FastAPI's own answer echoes what was sent:
    a caller's 64 KB came back whole, and a lone surrogate (JSON's "\\ud800"), which no
    UTF-8 answer can hold, made it a 500. ASCII JSON, so any name a caller gave encodes."""
    detail = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in err.errors()]
    body = json.dumps({"detail": detail}, ensure_ascii=True, default=str)
    return Response(body, status_code=422, media_type="application/json")
