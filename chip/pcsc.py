"""The PC/SC link to a contactless reader, through pyscard over pcscd.

pyscard is imported when a reader is first looked for, so the rest of the kiosk starts
without it.
"""

from __future__ import annotations

import contextlib


class NoReader(Exception):
    """No PC/SC reader is attached (or pcscd is not running)."""


class NoCard(Exception):
    """A reader is attached but nothing answers on it."""


class CardGone(Exception):
    """The card stopped answering in the middle of a read (moved away, removed)."""


class PcscCard:
    """One connection to the card on a reader: `transmit` returns (data, status word)."""

    def __init__(self, connection) -> None:
        self._connection = connection

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU; raises CardGone if the card no longer answers."""
        from smartcard.Exceptions import CardConnectionException

        try:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except CardConnectionException as exc:
            raise CardGone(str(exc)) from exc
        return bytes(data), sw1 << 8 | sw2

    def close(self) -> None:
        """Let the card go; a card already gone is not an error."""
        from smartcard.Exceptions import CardConnectionException

        with contextlib.suppress(CardConnectionException):
            self._connection.disconnect()


def available() -> bool:
    """Whether this machine has the PC/SC stack (pyscard) to look for readers with."""
    try:
        import smartcard.System  # noqa: F401
    except ImportError:
        return False
    return True


def reader_names() -> list[str]:
    """The names of the PC/SC readers attached now (empty without pcscd)."""
    try:
        from smartcard.Exceptions import ListReadersException
        from smartcard.pcsc.PCSCExceptions import EstablishContextException
        from smartcard.System import readers
    except ImportError:
        return []
    try:
        return [str(r) for r in readers()]
    except (ListReadersException, EstablishContextException):
        return []


def connect(reader_name: str | None = None) -> PcscCard:
    """Connect to the card on `reader_name` (or on the first reader that has one)."""
    from smartcard.Exceptions import CardConnectionException, ListReadersException, NoCardException
    from smartcard.pcsc.PCSCExceptions import EstablishContextException
    from smartcard.System import readers

    try:
        attached = readers()
    except (ListReadersException, EstablishContextException):
        attached = []
    names = [str(r) for r in attached]
    if not names:
        raise NoReader("no PC/SC reader is attached")
    candidates = [r for r in attached if reader_name in (None, str(r))]
    if not candidates:
        raise NoReader(f"no reader named {reader_name!r} (attached: {', '.join(names)})")
    for reader in candidates:
        connection = reader.createConnection()
        try:
            connection.connect()
        except (NoCardException, CardConnectionException):
            continue
        return PcscCard(connection)
    raise NoCard("no card on " + ", ".join(str(r) for r in candidates))
