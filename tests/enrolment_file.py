"""A counter kiosk's enrolment file as a hub writes it, for tests that enrol a store
without a hub (sync.state.enrol)."""

from __future__ import annotations

import base64


def enrolment(hub_key: bytes = b"k" * 32) -> dict:
    """Kiosk G1 at the counters of hub-1 on loopback, signed feeds checked with `hub_key`."""
    return {
        "format": "pass-office-enrolment/1",
        "hub_url": "http://127.0.0.1:8750",
        "hub_id": "hub-1",
        "kiosk_id": "G1",
        "role": "counter",
        "token": "t" * 43,
        "hub_key": base64.b64encode(hub_key).decode(),
        "document_key": base64.b64encode(b"d" * 32).decode(),
    }
