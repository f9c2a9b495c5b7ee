"""The form a feed row's values must have to go into the kiosk's store, read off the
store's own columns: their type, their width, whether they may be empty.

Rows are checked for what they mean in sync/feed_checks.py; this makes sure no value a
signed page carries reaches SQLite as something it cannot bind or hold (a list where
text goes, a whole number past 64 bits, nothing where a column needs a value). Such a
value used to end a page's transaction with SQLite's error, the sync stuck on that page,
instead of leaving the row out (found by mutating signed pages: tests/sync/test_apply.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, LargeBinary, String

from kiosk.store.schema import (
    AccreditationRow,
    BadgeEventRow,
    BadgeRow,
    EventRow,
    LetterRow,
    PersonRow,
    ReinstatementRow,
    SyncConflictRow,
)
from kiosk.typed import CONTROL, as_text
from sync.protocol import FIELDS

# The store's tables that a kind's rows are written to as they come.
TABLES = {
    "events": EventRow,
    "letters": LetterRow,
    "people": PersonRow,
    "accreditations": AccreditationRow,
    "badges": BadgeRow,
    "badge_events": BadgeEventRow,
    "reinstatements": ReinstatementRow,
    "conflicts": SyncConflictRow,
}
# Text the store leaves unbounded, bounded here.
TEXT_MOST = {"badge_events": {"note": 4000}, "conflicts": {"settle_note": 2000}}
LOWEST, HIGHEST = -(2**63), 2**63 - 1  # what SQLite's INTEGER holds
_NONE = type(None)


@dataclass(frozen=True)
class Form:
    """The Python types a column takes (as sync/protocol.py decodes them), and for text
    its most characters."""

    types: frozenset[type]
    most: int | None = None

    def refusal(self, name: str, value: object) -> str | None:
        """Why `value` does not fit, or None."""
        if type(value) not in self.types:
            if str in self.types:
                return f"{name} is not text of at most {self.most or 'any number of'} characters"
            wanted = "/".join(sorted(t.__name__ for t in self.types - {_NONE}))
            return f"{name} {str(value)[:40]!r} is not a {wanted}"
        if self.most is not None and type(value) is str and len(value) > self.most:
            return f"{name} is not text of at most {self.most} characters"
        if type(value) is int and not LOWEST <= value <= HIGHEST:
            return f"{name} {value} is too large a number"
        return None


def _form(column: Column, most: int | None) -> Form | None:
    kind = getattr(column.type, "impl_instance", column.type)  # AwareDateTime: a DateTime
    empty = {_NONE} if column.nullable else set()
    for sql, python in ((Boolean, bool), (Integer, int), (DateTime, datetime), (Date, date)):
        if isinstance(kind, sql):
            return Form(frozenset({python, *empty}))
    if isinstance(kind, String):
        return Form(frozenset({str, *empty}), most or kind.length)
    if isinstance(kind, LargeBinary):
        return Form(frozenset({bytes, *empty}))
    return None  # JSON: the kind's own rule checks it where it matters


FORMS: dict[str, dict[str, Form]] = {
    kind: {
        name: form
        for name in FIELDS[kind]
        if name in table.__table__.c
        and (form := _form(table.__table__.c[name], TEXT_MOST.get(kind, {}).get(name)))
    }
    for kind, table in TABLES.items()
}


def form_refusal(kind: str, row: dict) -> str | None:
    """Why a value of `row` does not fit its column in the store, or None."""
    for name, form in FORMS.get(kind, {}).items():
        if why := form.refusal(name, row.get(name)):
            return why
    return None


def forms_pass(kind: str, rows: list[dict]) -> bool:
    """Whether every value of `rows` fits its column, checked a column at a time."""
    for name, form in FORMS.get(kind, {}).items():
        values = list(map(itemgetter(name), rows))
        kinds = set(map(type, values))
        if not form.types.issuperset(kinds):
            return False
        longest = max(map(len, filter(None, values)), default=0) if str in kinds else 0
        if form.most is not None and longest > form.most:
            return False
        if int in kinds:
            whole = [v for v in values if type(v) is int]
            if min(whole) < LOWEST or max(whole) > HIGHEST:
                return False
    return True


# Text columns of each kind, where control characters are replaced (`plain_texts`).
TEXTS: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name, form in forms.items() if str in form.types)
    for kind, forms in FORMS.items()
}


def plain_texts(kind: str, rows: list[dict]) -> list[str]:
    """Replace, in `rows` themselves, control characters, direction overrides and lone
    surrogates in text by U+FFFD, as the kiosk journals what people type
    (kiosk/typed.as_text): the hub refuses them, yet a hub holding rows from before its
    rule, or gone wrong, sent a surname with an escape sequence for the terminal of any
    listing, or one that reads other than it is. Each column is searched in one pass;
    returns "kind id: column" for each value changed."""
    changed = []
    for name in TEXTS.get(kind, ()):
        if not CONTROL.search("".join(v for r in rows if type(v := r.get(name)) is str)):
            continue  # a French text may be absent (LATER_FIELDS)
        for row in rows:
            value = row[name]
            if type(value) is str and CONTROL.search(value):
                row[name] = as_text(value)
                changed.append(f"{kind} {row.get('id', row.get('serial'))!r}: {name}")
    return changed
