"""The hub's HTTP API (FastAPI): the feed and journal delivery for kiosks, a few office
tools. `GET /docs` and `GET /openapi.json` describe it."""

import copy
import functools
import threading
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import (
    BackgroundTasks,
    Depends,
    FastAPI,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
)
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StrictInt, ValidationError, field_validator
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from hub.body_limit import OFFICE_BODY_LIMIT, BodyLimit
from hub.clients import Client, Role, authenticate
from hub.clock_seen import ClockSeen
from hub.database import HubDatabase, head, lock_changes, utc_now
from hub.feed import DEFAULT_LIMIT, MAX_LIMIT, page_on
from hub.feed_keys import caller_and_signer
from hub.handoffs import list_handoffs
from hub.keys import confirmation_signer, ensure_keys
from hub.receive import MAX_ROWS, DeliveryRejected, receive, record_refusal
from hub.schema import AccreditationRow, ClientRow, ConflictRow
from hub.statuses import apply_status
from hub.web.routes import mount_console
from kiosk.codes import confirmation_code
from kiosk.model import Status
from kiosk.typed import CONTROL
from sync.clock_header import CLOCK_HEADER, read_clock_header
from sync.protocol import CURSOR_AHEAD, SIGNATURE_HEADER, FeedSigner, answer_body

Clock = Callable[[], datetime]
TOUCH_EVERY = 30.0  # seconds between writes of a kiosk's "last seen" when nothing changed
MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases: larger ones name nothing
AccreditationId = Annotated[int, Path(ge=1, le=MAX_ID, description="an accreditation id")]
MAX_BODY = 32 * 1024 * 1024  # a delivery: 500 rows (a kiosk's batch) of the largest size
KioskClock = Annotated[
    str | None,
    Header(
        alias=CLOCK_HEADER,
        description="the kiosk's clock when it sent the request (2026-12-05T23:40:00.123Z),"
        " optional: the hub measures the kiosk's clock drift from it",
    ),
]


class BadgeIn(BaseModel):
    serial: str
    accreditation_id: int
    counter: str
    kiosk_id: str
    clerk: str
    supervisor: str | None
    reason: str
    issued_at: datetime
    valid_from: str
    valid_until: str
    status: str
    superseded_by: str | None


class JournalRowIn(BaseModel):
    """One row of a kiosk's journal, as the kiosk wrote it."""

    id: int = Field(gt=0, description="the kiosk's journal id: with the kiosk id, the key")
    at: datetime
    kiosk_id: str
    actor: str
    action: str
    accreditation_id: int | None
    badge_serial: str | None
    verdict: str | None
    details: dict[str, Any]
    prev_hash: str = Field(description="the hash of the kiosk's entry before this one")
    hash: str = Field(description="sha256(prev_hash + canonical entry), kiosk/audit.py")
    mac: str = Field("", max_length=64, description="the entry's seal with the journal key")
    seen_cursor: int = Field(0, ge=0, description="the kiosk's feed cursor when it wrote it")
    badge: BadgeIn | None = Field(None, description="the badge the row names, as it is now")
    photo: str | None = Field(
        None, description="a photo_replaced row's photo (JPEG, base64), hub/desk_photos.py"
    )


class KeyIn(BaseModel):
    """A public badge key of the kiosk (Ed25519, base64)."""

    key_id: int = Field(ge=1, le=255)
    public_key: str
    purpose: str


class HeadIn(BaseModel):
    """Where the kiosk's journal ends, sealed (kiosk/audit.py): the hub checks that the
    head it saw last is a prefix of this one."""

    id: int = Field(ge=0, le=MAX_ID, description="the last entry's journal id")
    hash: str = Field(max_length=64, description="the last entry's hash")
    sealed_from: int = Field(ge=1, le=MAX_ID, description="first entry sealed with the current key")
    mac: str = Field(max_length=64, description="the head's seal; empty when it has none")


class Delivery(BaseModel):
    rows: list[JournalRowIn] = Field(description=f"at most {MAX_ROWS} rows")
    keys: list[KeyIn] = Field([], description="the counter's badge keys, for security posts")
    head: HeadIn | None = Field(None, description="the journal's head when the rows were read")
    more: bool = Field(False, description="more rows follow in another delivery")
    after: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        description="the last row the hub acknowledged to the kiosk: a hub holding fewer "
        "(restored from a backup) takes nothing and answers up_to, to send again from",
    )


@functools.cache
def _delivery_schema() -> dict:
    """Delivery's JSON schema for the API's description, built once per process (14 ms);
    each app gets its own copy."""
    return Delivery.model_json_schema()


class ReceiptOut(BaseModel):
    received: int
    duplicates: int
    up_to: int = Field(description="the kiosk's last journal id the hub holds")
    conflicts: list[int]


class StatusIn(BaseModel):
    accreditation_id: StrictInt = Field(ge=1, le=MAX_ID)  # not true, "3" or 3.0
    status: Status
    reason: str = Field("", max_length=2000)
    reason_fr: str = Field("", max_length=2000)  # optional: kiosks show `reason` without it

    @field_validator("reason", "reason_fr")
    @classmethod
    def _readable(cls, reason: str) -> str:
        if CONTROL.search(reason):  # a NUL PostgreSQL cannot keep; kiosks show the reason
            raise ValueError("holds a control character or a direction override")
        return reason


class StatusOut(BaseModel):
    accreditation_id: int
    status: Status
    badges_revoked: list[str]


class ConflictOut(BaseModel):
    id: int
    kind: str
    accreditation_id: int
    badge_serial: str | None
    kiosk_id: str
    detected_at: datetime
    message_en: str
    message_fr: str
    settled_at: datetime | None  # when the office settled it (hub/settle.py), else None
    settled_by: str | None
    settlement: str | None  # handled, revocation_confirmed or reinstated
    settle_note: str | None


class HandoffReasonOut(BaseModel):
    code: str
    en: str
    fr: str


class HandoffOut(BaseModel):
    at: datetime
    kiosk_id: str
    clerk: str
    registration: str
    accreditation_id: int
    name: str
    status: str = Field(description="the accreditation's status now")
    reasons: list[HandoffReasonOut]
    handled_at: datetime | None = Field(None, description="set: the office marked it handled")
    handled_by: str | None = Field(None, description="who marked it handled")
    handled_note: str | None = Field(None, description="what the office did")


class KioskOut(BaseModel):
    id: str
    role: str
    last_seen_at: datetime | None
    cursor: int
    revoked_at: datetime | None = Field(None, description="set: its token opens nothing")


_CLIENTS = ClientRow.__table__
_LOCK_CLIENT = select(_CLIENTS.c.id).where(_CLIENTS.c.id == bindparam("client")).with_for_update()
_SEEN = (
    update(_CLIENTS)
    .where(_CLIENTS.c.id == bindparam("client"))
    .values(cursor=bindparam("seen_cursor"), last_seen_at=bindparam("seen_at"))
)


class _LastSeen:
    """Writes a kiosk's cursor and time seen when the cursor moves, or now and then; after
    the page is sent (the kiosk does not wait for this write)."""

    def __init__(self, db: HubDatabase) -> None:
        self.db, self.lock, self.seen = db, threading.Lock(), {}

    def due(self, client: Client, cursor: int, now: datetime) -> bool:
        """Note the kiosk seen at `cursor`; whether that is to be written now."""
        with self.lock:
            last = self.seen.get(client.id)
            if last and last[0] == cursor and (now - last[1]).total_seconds() < TOUCH_EVERY:
                return False
            self.seen[client.id] = (cursor, now)
            return True

    def write_on(self, s: Session, client: Client) -> None:
        """Write what is noted for `client` in `s`: two Core statements, not the ORM's load
        and flush (a third of the write's CPU)."""
        conn = s.connection()
        conn.execute(_LOCK_CLIENT, {"client": client.id})  # PostgreSQL: the row's lock first
        with self.lock:  # then the newest: a later touch may have overtaken this one
            cursor, at = self.seen[client.id]
        conn.execute(_SEEN, {"client": client.id, "seen_cursor": cursor, "seen_at": at})


def create_app(db: HubDatabase, clock: Clock = utc_now) -> FastAPI:
    """The hub's API over `db`."""
    ensure_keys(db)
    last_seen, clocks = _LastSeen(db), ClockSeen(db)
    bearer = HTTPBearer(auto_error=False)
    app = FastAPI(
        title="Pass office hub",
        version="1",
        description="Approvals for the pass office's kiosks, and what the kiosks did. "
        "Every call but /v1/health needs `Authorization: Bearer <token>` from an "
        "enrolment (`kiosk-hub enrol`).",
    )
    app.add_middleware(BodyLimit, limit=OFFICE_BODY_LIMIT, exempt=("/v1/journal",))

    def unknown_token() -> HTTPException:
        return HTTPException(401, "unknown or missing token", {"WWW-Authenticate": "Bearer"})

    def known(client: Client | None) -> Client:
        if client is None:
            raise unknown_token()
        return client

    def caller(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Client:
        return known(authenticate(db, creds.credentials) if creds else None)

    async def bearer_token(
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        if creds is None:  # 401 before the query is looked at, as `caller` answers
            raise unknown_token()
        return creds.credentials

    def a_kiosk(client: Client) -> Client:
        if client.role is Role.OFFICE:
            raise HTTPException(403, "this call is for kiosks")
        return client

    async def kiosk(client: Annotated[Client, Depends(caller)]) -> Client:
        # async: no I/O here, so no hop through the thread pool on every kiosk call
        return a_kiosk(client)

    def office(client: Annotated[Client, Depends(caller)]) -> Client:
        if client.role is not Role.OFFICE:
            raise HTTPException(403, "this call is for the accreditation office")
        return client

    @app.get("/v1/health", tags=["kiosk"])
    def health() -> dict:
        """The hub is up; its id and newest change number."""
        with db.reading() as s:
            return {"ok": True, "hub": db.hub_id, "head": head(s)}

    def cursor_ahead(client: Client, cursor: int, nonce: str, signer: FeedSigner) -> Response:
        """A signed 409: a kiosk resets its cursor only on an answer the hub signed."""
        with db.reading() as s:
            newest = head(s)
        body = answer_body(
            hub=db.hub_id,
            kiosk=client.id,
            nonce=nonce,
            answer=CURSOR_AHEAD,
            cursor=cursor,
            head=newest,
        )
        return Response(
            body,
            status_code=409,
            media_type="application/json",
            headers={SIGNATURE_HEADER: signer.sign_answer(body)},
        )

    @app.get(
        "/v1/feed",
        tags=["kiosk"],
        response_class=Response,
        responses={
            200: {
                "description": "a signed page (a JSON header's length in 4 bytes, the header, "
                f"then the bytes it names; its Ed25519 signature in {SIGNATURE_HEADER})",
                "content": {"application/octet-stream": {}},
            },
            409: {
                "description": "the cursor is ahead of this hub: pull again from 0 (signed "
                f"like a page, in {SIGNATURE_HEADER}, over another domain)",
                "content": {"application/json": {}},
            },
            410: {"description": "the feed key the kiosk holds is retired: enrol it again"},
        },
    )
    async def feed(
        token: Annotated[str, Depends(bearer_token)],
        nonce: Annotated[str, Query(min_length=8, max_length=64)],
        cursor: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        key: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
        kiosk_clock: KioskClock = None,
    ) -> Response:
        """The changes after `cursor` for this kiosk's role, signed with the feed key it
        holds (`key`, its public half in hex; the newest if not given); `nonce` comes back
        signed."""
        now = clock()
        public = bytes.fromhex(key) if key else None
        # one hop through the thread pool: token, feed key and page in one snapshot
        client, answer = await run_in_threadpool(
            signed_page, token, public, cursor, limit, nonce, now
        )
        if answer.status_code == 200:  # the kiosk is noted as seen once it has the page
            offset = read_clock_header(kiosk_clock, now)
            answer.background = BackgroundTask(noted, client, cursor, now, offset)
        return answer

    async def noted(client: Client, cursor: int, now: datetime, offset: timedelta | None) -> None:
        """After a page: the kiosk's cursor and clock noted, written when either is due."""
        seen = last_seen.due(client, cursor, now)
        measured = offset is not None and clocks.due(client.id, offset, now)
        if seen or measured:
            await run_in_threadpool(write_noted, client, seen, measured)

    def write_noted(client: Client, seen: bool, measured: bool) -> None:
        """Both notes in one transaction when both are due (one commit, not two); the
        clock's lock first, as ClockSeen takes it."""
        with clocks.write_lock if measured else nullcontext(), db.writing() as s:
            if seen:
                last_seen.write_on(s, client)
            if measured:
                clocks.write_on(s, client.id)

    def signed_page(
        token: str, public: bytes | None, cursor: int, limit: int, nonce: str, now: datetime
    ) -> tuple[Client, Response]:
        """The caller and the signed page for it (or a signed 409), read in one snapshot."""
        with db.snapshot() as conn:
            caller, held = caller_and_signer(conn, token, public)
            client = a_kiosk(known(caller))  # 401, then 403, then 410: as read one by one
            if held is None or held.signer is None:
                raise HTTPException(
                    410,
                    "this hub no longer signs with the feed key this kiosk holds (retired, or "
                    "never this hub's): enrol the kiosk again with a new enrolment file",
                )
            body = page_on(conn, db.hub_id, client, cursor, limit, nonce, now, held.starts_at)
        if body is None:
            return client, cursor_ahead(client, cursor, nonce, held.signer)
        signature = held.signer.sign(body)
        return client, Response(
            body, media_type="application/octet-stream", headers={SIGNATURE_HEADER: signature}
        )

    async def delivery_of(request: Request, client: Client) -> Delivery:
        """The body read up to MAX_BODY bytes (refused beyond, before it is all read)."""
        declared = request.headers.get("content-length", "")
        body = bytearray()
        if not (declared.isdigit() and int(declared) > MAX_BODY):
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY:
                    break
        if len(body) > MAX_BODY or (declared.isdigit() and int(declared) > MAX_BODY):
            err = DeliveryRejected(
                413,
                f"a delivery may hold at most {MAX_BODY} bytes: send fewer rows at a time",
                f"une livraison ne peut dépasser {MAX_BODY} octets : envoyer moins d'entrées "
                "à la fois",
            )
            await run_in_threadpool(record_refusal, db, client, err, clock())
            raise HTTPException(413, str(err))
        try:
            return Delivery.model_validate_json(bytes(body))
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "its start"
            refused = DeliveryRejected(
                422,
                f"malformed delivery at {where}: {first['msg']}",
                f"livraison mal formée à {where} : {first['msg']}",
            )
            await run_in_threadpool(record_refusal, db, client, refused, clock())
            raise HTTPException(422, str(refused)) from err

    @app.post(
        "/v1/journal",
        tags=["kiosk"],
        responses={
            409: {"description": "a row differs from the one received before"},
            413: {"description": "too large: the body, a row, or too many rows"},
            422: {"description": "a row refused: malformed, a bad value, or not the kiosk's"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": copy.deepcopy(_delivery_schema())}},
            }
        },
    )
    async def deliver(
        request: Request,
        client: Annotated[Client, Depends(kiosk)],
        tasks: BackgroundTasks,
        kiosk_clock: KioskClock = None,
    ) -> ReceiptOut:
        """Journal rows after the last one acknowledged; rows held already are skipped. A
        row refused refuses the delivery (hub/receive.py) and becomes a conflict."""
        received = clock()
        offset = read_clock_header(kiosk_clock, received)
        if offset is not None:  # noted after the answer, as the feed's is
            tasks.add_task(clocks.note, client.id, offset, received)
        delivery = await delivery_of(request, client)
        rows = [r.model_dump(mode="json") for r in delivery.rows]
        keys = [k.model_dump(mode="json") for k in delivery.keys]
        try:
            head = delivery.head.model_dump() if delivery.head else None
            receipt = await run_in_threadpool(
                receive,
                db,
                client,
                rows,
                clock(),
                "http",
                keys,
                head,
                delivery.more,
                delivery.after,
            )
        except DeliveryRejected as err:
            raise HTTPException(err.status, str(err)) from err
        return ReceiptOut(
            received=receipt.received,
            duplicates=receipt.duplicates,
            up_to=receipt.up_to,
            conflicts=list(receipt.conflicts),
        )

    @app.post("/v1/office/status", tags=["office"])
    def set_status(change: StatusIn, _: Annotated[Client, Depends(office)]) -> StatusOut:
        """Approve, deny or revoke an accreditation now; revoking revokes its badges."""
        now = clock()
        with db.writing() as s:
            lock_changes(s)
            acc = s.get(AccreditationRow, change.accreditation_id)
            if acc is None:
                raise HTTPException(404, f"no accreditation {change.accreditation_id}")
            revoked = apply_status(
                s,
                acc,
                change.status,
                change.reason,
                now,
                "office api",
                now,
                reason_fr=change.reason_fr.strip(),
            )
        return StatusOut(
            accreditation_id=change.accreditation_id, status=change.status, badges_revoked=revoked
        )

    @app.get("/v1/office/conflicts", tags=["office"])
    def conflicts(_: Annotated[Client, Depends(office)]) -> list[ConflictOut]:
        """Every conflict found, newest first, with how and by whom it was settled."""
        with db.reading() as s:
            rows = s.scalars(select(ConflictRow).order_by(ConflictRow.id.desc()))
            return [ConflictOut.model_validate(r, from_attributes=True) for r in rows]

    @app.get("/v1/office/handoffs", tags=["office"])
    def handoffs(
        _: Annotated[Client, Depends(office)],
        open_only: Annotated[bool, Query(alias="open")] = False,
    ) -> list[HandoffOut]:
        """The hand-off slips counters gave applicants (a refusal the office can fix:
        pending, a typo, a missing letter or photo), newest first, each with who marked
        it handled, when and how; `?open=1`: only those not marked handled yet."""
        with db.reading() as s:
            lines = list_handoffs(s, open_only=open_only)
        return [
            HandoffOut(
                at=h.at,
                kiosk_id=h.kiosk_id,
                clerk=h.clerk,
                registration=h.registration,
                accreditation_id=h.accreditation_id,
                name=h.name,
                status=h.status,
                reasons=[
                    HandoffReasonOut(code=c, en=en, fr=fr)
                    for c, en, fr in zip(h.reasons, h.reasons_en, h.reasons_fr, strict=True)
                ],
                handled_at=h.handled.handled_at if h.handled else None,
                handled_by=h.handled.handled_by if h.handled else None,
                handled_note=h.handled.note if h.handled else None,
            )
            for h in lines
        ]

    @app.get("/v1/office/kiosks", tags=["office"])
    def kiosks(_: Annotated[Client, Depends(office)]) -> list[KioskOut]:
        """The enrolled kiosks, when each last pulled and from where."""
        with db.reading() as s:
            rows = s.scalars(select(ClientRow).where(ClientRow.role != Role.OFFICE.value))
            return [KioskOut.model_validate(r, from_attributes=True) for r in rows]

    @app.get("/v1/office/accreditations/{accreditation_id}/code", tags=["office"])
    def code(accreditation_id: AccreditationId, _: Annotated[Client, Depends(office)]) -> dict:
        """The signed confirmation code the office e-mails for an accreditation."""
        with db.reading() as s:
            if s.get(AccreditationRow, accreditation_id) is None:
                raise HTTPException(404, f"no accreditation {accreditation_id}")
        return {
            "accreditation_id": accreditation_id,
            "code": confirmation_code(confirmation_signer(db), accreditation_id),
        }

    @app.get(
        "/v1/office/accreditations/{accreditation_id}/letter.pdf",
        tags=["office"],
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    def letter(
        accreditation_id: AccreditationId, _: Annotated[Client, Depends(office)]
    ) -> Response:
        """The confirmation letter (PDF) with its code, as e-mailed to the applicant; only
        for an approved accreditation (409 otherwise: the letter says "confirmed")."""
        from hub.letters import letter_pdf

        with db.reading() as s:
            acc = s.get(AccreditationRow, accreditation_id)
            status = acc.status if acc else None
        if status is None:
            raise HTTPException(404, f"no accreditation {accreditation_id}")
        if status != Status.APPROVED.value:
            raise HTTPException(
                409, f"accreditation {accreditation_id} is {status}: a letter is for approved ones"
            )
        pdf = letter_pdf(db, confirmation_signer(db), accreditation_id)
        return Response(pdf, media_type="application/pdf")

    mount_console(app, db, clock)
    return app
