"""The web console's pages (server-rendered, Jinja2) under /console, on the hub's app.

Every page needs a signed-in session (hub/web/accounts.py); every form posted carries the
session's CSRF token (the sign-in form a cookie-bound one of its own); actions beyond
looking are checked against the account's role. Pages fetch nothing from elsewhere and
run no script: the content security policy says so to the browser.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi import Path as FastPath
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.clients import STOLEN
from hub.database import HubDatabase
from hub.handoffs import HandleRefused, list_handoffs, mark_handled
from hub.keys import confirmation_signer
from hub.schema import AccreditationRow, BadgeRow, ConflictRow
from hub.settle import (
    HANDLED,
    REINSTATED,
    SettleRefused,
    can_confirm_revocation,
    can_reinstate,
    check_settle,
    settle,
)
from hub.validation import validation_answer
from hub.web import accounts, applicants, confirm, hours_forms, kiosk_revoke
from hub.web.accounts import AccountError, Permission, WebSession
from hub.web.event_csv import event_csv
from hub.web.hours_view import hours_page
from hub.web.kiosk_status import kiosk_statuses
from hub.web.name_search import HubNames
from hub.web.site_today import SiteFigures
from hub.web.texts import LANGS, formatters, stolen_label, texts
from kiosk.codes import confirmation_code
from kiosk.hours import WEEKDAYS, HoursError
from kiosk.model import Status
from kiosk.pool import PoolError
from kiosk.typed import CONTROL

PREFIX = "/console"
COOKIE, PRE_COOKIE, LANG_COOKIE = "hub_console", "hub_console_signin", "hub_console_lang"
FORM_MAX = 16 * 1024
REFRESH_SECONDS = 60
AUTO = "auto"  # the query parameter of a page's own refresh: not a use of the session
HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
Clock = Callable[[], datetime]
Id = Annotated[int, FastPath(ge=1, le=2**31 - 1)]  # ids are 32-bit integers at the hub


class _SignInFirst(Exception):
    """No live session: the browser goes to the sign-in page."""


class _Forbidden(Exception):
    """A session without the right, a form without its CSRF token, or one that cannot be
    read (`status` 400)."""

    def __init__(self, key: str, status: int = 403) -> None:
        super().__init__(key)
        self.key, self.status = key, status


def _unreadable(*texts: str) -> bool:
    """Whether any of `texts` holds a character the console does not keep: a control
    character (a NUL is one: PostgreSQL cannot store it) or a bidirectional override."""
    return any(CONTROL.search(t) for t in texts)


def _lang(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGS:
        return chosen
    return "fr" if request.headers.get("accept-language", "").lower().startswith("fr") else "en"


def _done_proof(session: WebSession, key: str) -> str:
    """What ties a "done" line to the session whose change it reports."""
    return hmac.new(session.csrf.encode(), key.encode(), hashlib.sha256).hexdigest()[:32]


def _done_shown(request: Request, session: WebSession | None) -> str:
    """The "done" key of the page, if this session's own change sent it here; else ""."""
    key = request.query_params.get("done", "")
    proof = request.query_params.get("proof", "")
    if not key or session is None:
        return ""
    return key if hmac.compare_digest(proof, _done_proof(session, key)) else ""


async def _form(request: Request) -> dict[str, str]:
    """A posted urlencoded form (the first value of each name), at most FORM_MAX bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX:
            raise _Forbidden("form_too_large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), max_num_fields=20, errors="strict")
    except UnicodeDecodeError as err:  # bytes, or percent escapes, that are not UTF-8
        raise _Forbidden("form_unreadable", 400) from err
    except ValueError as err:  # more fields than any form of the console has
        raise _Forbidden("form_too_large") from err
    if any(_unreadable(name, value) for name, value in pairs):
        raise _Forbidden("form_unreadable", 400)
    fields: dict[str, str] = {}
    for name, value in pairs:  # a browser sends each line break of a text box as \r\n
        fields.setdefault(name, value.replace("\r\n", "\n"))
    return fields


def _cookie(response: Response, request: Request, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _safe_next(target: str) -> str:
    """Only a path of this console: never another site (no open redirect)."""
    ok = target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target
    return target if ok else PREFIX + "/today"


def _here(request: Request) -> str:
    """Where the language links come back to: this page with its search, not the
    message of a change just made (`done`); for a page answering a form, its page."""
    if request.method != "GET":
        return _page_of(request.url.path)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("done", AUTO)]
    return request.url.path + (f"?{urlencode(kept)}" if kept else "")


def _refreshed(here: str) -> str:
    """The address a page's own refresh asks for: `here`, marked as no use of the session."""
    return here + ("&" if "?" in here else "?") + f"{AUTO}=1"


def _page_of(path: str) -> str:
    """The page a form posted to `path` belongs to: where the language links of a page
    answering a form lead (the form's own address is not a page)."""
    parts = path.removeprefix(PREFIX).strip("/").split("/")
    if parts[0] == "accreditations" and len(parts) > 1:
        return f"{PREFIX}/accreditations/{parts[1]}"
    return f"{PREFIX}/{parts[0]}"


@cache
def _environment() -> Environment:
    """The console's templates, compiled once per process and shared by every console:
    nothing in it belongs to one hub, and each new one compiled every page it showed
    again (12 ms a template; the tests make some 150 consoles)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["check_label"] = lambda name, t: t["checks"].get(name, name)
    env.filters["kiosk_label"] = lambda row, t: (
        f"{row[0]} ({t['counters'].get(row[1], row[1])})",
        row[2],
    )
    env.filters["revoked_reason"] = lambda reason, t: stolen_label(
        reason == STOLEN or reason.startswith(STOLEN + ": "),
        reason.removeprefix(STOLEN).removeprefix(": "),
        t,
    )
    return env


def create_console(db: HubDatabase, clock: Clock) -> tuple[APIRouter, Callable]:
    """The console's routes over `db`, and its page renderer (for the error pages)."""
    env = _environment()
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    figures = SiteFigures(db)
    names = HubNames(db)  # folded names, kept between searches
    strangers = accounts.Strangers()  # wrong tries of names that are no account

    def render(
        request: Request, name: str, session: WebSession | None, status: int = 200, **values
    ) -> HTMLResponse:
        lang, here = _lang(request), _here(request)
        html = env.get_template(name).render(
            t=texts(lang),
            lang=lang,
            session=session,
            P=Permission,
            path=here.partition("?")[0],
            here=here,
            refreshed=_refreshed(here),
            request_done=_done_shown(request, session),
            now=clock,
            prefix=PREFIX,
            **formatters(lang),
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def viewer(request: Request) -> WebSession:
        by_hand = request.query_params.get(AUTO) != "1"  # not the page's own refresh
        found = accounts.session_of(db, request.cookies.get(COOKIE, ""), clock(), by_hand)
        if found is None:
            raise _SignInFirst()
        return found

    Viewer = Annotated[WebSession, Depends(viewer)]

    async def posted(request: Request, session: WebSession, needs: Permission | None) -> dict:
        fields = await _form(request)
        if not accounts.csrf_ok(session, fields.get("csrf", "")):
            raise _Forbidden("csrf_refused")
        if needs is not None and not session.may(needs):
            raise _Forbidden("not_allowed")
        return fields

    def done(target: str, key: str, session: WebSession) -> RedirectResponse:
        """Back to `target`, saying `key` was done: for this session's page only (a link
        sent by anyone else cannot make the console say a revocation took place)."""
        proof = _done_proof(session, key)
        return RedirectResponse(f"{target}?done={key}&proof={proof}", status_code=303)

    @router.get("")
    def home() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/today", status_code=303)

    @router.get("/console.css")
    def stylesheet() -> Response:
        return Response((HERE / "console.css").read_bytes(), media_type="text/css")

    @router.get("/lang/{code}")
    def language(request: Request, code: str, next: str = "") -> RedirectResponse:
        response = RedirectResponse(_safe_next(next), status_code=303)
        if code in LANGS:
            _cookie(response, request, LANG_COOKIE, code, 365 * 86400)
        return response

    @router.get("/sign-in")
    def sign_in_page(request: Request) -> HTMLResponse:
        """The sign-in form; its only alert is a refused sign-in's (the hub's own words),
        never text from the address (a link must not put words on the office's page)."""
        token = secrets.token_urlsafe(32)
        response = render(request, "sign_in.html", None, pre=token)
        _cookie(response, request, PRE_COOKIE, token, 3600)
        return response

    @router.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        fields = await _form(request)
        pre = request.cookies.get(PRE_COOKIE, "")
        sent = fields.get("csrf", "").encode()
        if not pre or not secrets.compare_digest(pre.encode(), sent):
            raise _Forbidden("csrf_refused")
        try:
            name, password = fields.get("name", "").strip(), fields.get("password", "")
            # the hash takes a fifth of a second: off the event loop, which serves the kiosks
            token = await run_in_threadpool(
                accounts.sign_in, db, name, password, clock(), strangers
            )
        except AccountError as err:
            lang = _lang(request)
            message = err.fr if lang == "fr" else err.en
            response = render(request, "sign_in.html", None, 401, pre=pre, error=message)
            return response
        response = RedirectResponse(PREFIX + "/today", status_code=303)
        _cookie(response, request, COOKIE, token, int(accounts.LONGEST.total_seconds()))
        response.delete_cookie(PRE_COOKIE, path=PREFIX)
        return response

    @router.post("/sign-out")
    async def sign_out(request: Request, session: Viewer) -> RedirectResponse:
        await posted(request, session, None)
        accounts.sign_out(db, request.cookies.get(COOKIE, ""))
        response = RedirectResponse(PREFIX + "/sign-in", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    @router.get("/today")
    def today(request: Request, session: Viewer) -> HTMLResponse:
        day = figures.today(clock())
        return render(request, "today.html", session, day=day, refresh=REFRESH_SECONDS)

    @router.get("/today/{key}.csv")
    def today_csv(key: str, _: Viewer) -> Response:
        body = event_csv(db, key[:60])
        if body is None:
            return Response("no such event\n", status_code=404, media_type="text/plain")
        name = "".join(c for c in key if c.isalnum() or c in "-_")[:60]
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )

    def kiosks_page(request: Request, session: WebSession, status: int = 200, error: str = ""):
        found = kiosk_statuses(db, clock())
        return render(
            request,
            "kiosks.html",
            session,
            status,
            kiosks=found,
            error=error,
            refresh=REFRESH_SECONDS,
        )

    @router.get("/kiosks")
    def kiosks(request: Request, session: Viewer) -> HTMLResponse:
        return kiosks_page(request, session)

    def confirmation(request: Request, session: WebSession, c: confirm.Confirmation):
        return render(request, "confirm.html", session, c=c)

    @router.post("/kiosks/{kiosk_id}/revoke")
    async def revoke_kiosk(request: Request, kiosk_id: str, session: Viewer) -> Response:
        fields = await posted(request, session, Permission.REVOKE_CLIENT)
        stolen, reason = fields.get("stolen") == "yes", fields.get("reason", "")
        by = f"web:{session.user}"
        try:
            if not confirm.confirmed(fields):
                found = kiosk_revoke.check(db, kiosk_id, reason, stolen)
                kept = {"reason": reason, "stolen": "yes" if stolen else ""}
                t, back = texts(_lang(request)), PREFIX + "/kiosks"
                c = confirm.kiosk(found, t, request.url.path, kept, back)
                return confirmation(request, session, c)
            kiosk_revoke.revoke_kiosk(db, kiosk_id, reason, stolen, by, clock())
        except kiosk_revoke.KioskRevokeRefused as err:
            message = err.fr if _lang(request) == "fr" else err.en
            return kiosks_page(request, session, 400, message)
        return done(PREFIX + "/kiosks", "client_revoked", session)

    def conflicts_page(
        request: Request, session: WebSession, status: int = 200, error: str = "", kept=None
    ):
        """The conflicts; `kept`: what was typed into a form refused ({"id", "note"})."""
        with db.reading() as s:
            rows = s.scalars(
                select(ConflictRow).order_by(
                    ConflictRow.settled_at.is_not(None), ConflictRow.id.desc()
                )
            ).all()
            badges = {
                r.badge_serial: s.get(BadgeRow, r.badge_serial) for r in rows if r.badge_serial
            }
        confirmable = {r.id for r in rows if can_confirm_revocation(badges.get(r.badge_serial))}
        reinstatable = {r.id for r in rows if can_reinstate(badges.get(r.badge_serial))}
        return render(
            request,
            "conflicts.html",
            session,
            status,
            conflicts=rows,
            badges=badges,
            confirmable=confirmable,
            reinstatable=reinstatable,
            error=error,
            kept=kept or {},
        )

    @router.get("/conflicts")
    def conflicts(request: Request, session: Viewer) -> HTMLResponse:
        return conflicts_page(request, session)

    @router.post("/conflicts/{conflict_id}/settle")
    async def settle_conflict(request: Request, conflict_id: Id, session: Viewer) -> Response:
        fields = await posted(request, session, Permission.SETTLE_CONFLICT)
        outcome, note = fields.get("outcome", ""), fields.get("note", "")
        if outcome == REINSTATED and not session.may(Permission.REINSTATE_BADGE):
            raise _Forbidden("not_allowed")  # bringing a badge back is the office's decision
        try:
            if outcome != HANDLED and not confirm.confirmed(fields):
                found = check_settle(db, conflict_id, outcome, note, clock())
                back = f"{PREFIX}/conflicts#conflict-{conflict_id}"
                kept = {"outcome": outcome, "note": note}
                t = texts(_lang(request))
                c = confirm.settlement(found, note, t, request.url.path, kept, back)
                return confirmation(request, session, c)
            settle(db, conflict_id, outcome, note, f"web:{session.user}", clock())
        except SettleRefused as err:
            message = err.fr if _lang(request) == "fr" else err.en
            kept = {"id": conflict_id, "note": note}  # what was typed is not lost
            return conflicts_page(request, session, 400, message, kept)
        return done(PREFIX + "/conflicts", "settled", session)

    def handoffs_page(
        request: Request, session: WebSession, status: int = 200, error: str = "", kept=None
    ):
        """The hand-off slips; `kept`: what was typed into a form refused ({"id", "note"})."""
        with db.reading() as s:
            lines = list_handoffs(s)
        return render(
            request, "handoffs.html", session, status, handoffs=lines, error=error, kept=kept or {}
        )

    @router.get("/handoffs")
    def handoffs(request: Request, session: Viewer) -> HTMLResponse:
        return handoffs_page(request, session)

    @router.post("/handoffs/{row_id}/handled")
    async def handoff_handled(request: Request, row_id: Id, session: Viewer) -> Response:
        fields = await posted(request, session, Permission.HANDLE_HANDOFF)
        try:
            mark_handled(db, row_id, fields.get("note", ""), f"web:{session.user}", clock())
        except HandleRefused as err:
            message = err.fr if _lang(request) == "fr" else err.en
            kept = {"id": row_id, "note": fields.get("note", "")}
            return handoffs_page(request, session, 400, message, kept)
        return done(PREFIX + "/handoffs", "handled", session)

    def hours_view(
        request: Request, session: WebSession, status: int = 200, error: str = "", **kept
    ) -> HTMLResponse:
        page = hours_page(db, clock())
        return render(
            request,
            "hours.html",
            session,
            status,
            page=page,
            weekdays=WEEKDAYS,
            error=error,
            kept=kept,
        )

    @router.get("/hours")
    def hours(request: Request, session: Viewer) -> HTMLResponse:
        return hours_view(request, session)

    async def change_hours(request: Request, session: WebSession, change, key: str) -> Response:
        """Post one change of the Hours page: `change(db, fields, by, now)`."""
        fields = await posted(request, session, Permission.SET_HOURS)
        try:
            hours_forms.one_line(fields)
            change(db, fields, f"web:{session.user}", clock())
        except (HoursError, PoolError) as err:
            message = err.message_fr if _lang(request) == "fr" else err.message_en
            form = request.url.path.removeprefix(PREFIX + "/hours/")
            return hours_view(request, session, 400, message, form=form, fields=fields)
        return done(PREFIX + "/hours", key, session)

    @router.post("/hours/add")
    async def hours_add(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.add_span, "hours_added")

    @router.post("/hours/remove")
    async def hours_remove(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.remove_span, "hours_removed")

    @router.post("/hours/close")
    async def hours_close(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.close, "day_closed")

    @router.post("/hours/reopen")
    async def hours_reopen(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.reopen, "day_reopened")

    @router.post("/hours/moments/add")
    async def moment_add(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.add_moment, "moment_added")

    @router.post("/hours/moments/remove")
    async def moment_remove(request: Request, session: Viewer) -> Response:
        return await change_hours(request, session, hours_forms.remove_moment, "moment_removed")

    @router.get("/accreditations")
    def accreditations(request: Request, session: Viewer, q: str = "") -> HTMLResponse:
        found = applicants.search(db, q, names)
        return render(request, "accreditations.html", session, q=q[:100], found=found)

    def applicant_page(
        request: Request,
        session: WebSession,
        acc_id: int,
        status: int = 200,
        error: str = "",
        kept=None,
    ) -> HTMLResponse:
        """An applicant; `kept`: the reasons typed into a revocation refused."""
        found = applicants.history(db, acc_id)
        if found is None:
            return render(request, "missing.html", session, 404)
        code = confirmation_code(confirmation_signer(db), acc_id)
        return render(
            request,
            "applicant.html",
            session,
            status,
            h=found,
            code=code,
            error=error,
            kept=kept or {},
        )

    @router.get("/accreditations/{acc_id}")
    def applicant(request: Request, acc_id: Id, session: Viewer) -> HTMLResponse:
        return applicant_page(request, session, acc_id)

    @router.post("/accreditations/{acc_id}/revoke")
    async def revoke_accreditation(request: Request, acc_id: Id, session: Viewer) -> Response:
        fields = await posted(request, session, Permission.REVOKE_ACCREDITATION)
        reason, reason_fr = fields.get("reason", ""), fields.get("reason_fr", "")
        try:
            if not confirm.confirmed(fields):
                found = applicants.check_revoke(db, acc_id, reason, reason_fr)
                back = f"{PREFIX}/accreditations/{acc_id}"
                t = texts(_lang(request))
                typed = {"reason": reason, "reason_fr": reason_fr}
                c = confirm.accreditation(found, t, request.url.path, typed, back)
                return confirmation(request, session, c)
            by = f"web:{session.user}"
            applicants.revoke(db, acc_id, reason, by, clock(), reason_fr)
        except applicants.RevokeRefused as err:
            message = err.fr if _lang(request) == "fr" else err.en
            kept = {"reason": reason, "reason_fr": reason_fr}
            return applicant_page(request, session, acc_id, 400, message, kept)
        return done(f"{PREFIX}/accreditations/{acc_id}", "revoked", session)

    @router.get("/accreditations/{acc_id}/letter.pdf")
    def letter(request: Request, acc_id: Id, session: Viewer) -> Response:
        if not session.may(Permission.PRINT_LETTER):
            raise _Forbidden("not_allowed")
        from hub.letters import letter_pdf

        with db.reading() as s:
            acc = s.get(AccreditationRow, acc_id)
        if acc is None:
            return Response("no such accreditation\n", status_code=404, media_type="text/plain")
        if acc.status != Status.APPROVED.value:  # the letter says "confirmed"
            t = texts(_lang(request))
            status = t["statuses"].get(acc.status, acc.status)
            message = t["letter_not_approved"].format(reg=f"A{acc_id:07d}", status=status)
            return applicant_page(request, session, acc_id, 409, message)
        pdf = letter_pdf(db, confirmation_signer(db), acc_id)
        return Response(pdf, media_type="application/pdf")

    return router, render


def mount_console(app: FastAPI, db: HubDatabase, clock: Clock) -> None:
    """Serve the web console under /console on the hub's app."""
    router, render = create_console(db, clock)
    app.include_router(router)

    @app.exception_handler(_SignInFirst)
    async def sign_in_first(request: Request, _: _SignInFirst) -> Response:
        response = RedirectResponse(PREFIX + "/sign-in", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    @app.exception_handler(_Forbidden)
    async def forbidden(request: Request, err: _Forbidden) -> Response:
        return render(request, "refused.html", None, err.status, why=err.key)

    @app.exception_handler(StarletteHTTPException)
    async def no_such_page(request: Request, err: StarletteHTTPException) -> Response:
        """A console address that names no page (or a form's address opened as a page):
        the console's own page, not the API's JSON."""
        if not request.url.path.startswith(PREFIX) or err.status_code not in (404, 405):
            return await http_exception_handler(request, err)
        return render(request, "missing.html", None, 404)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, err: RequestValidationError) -> Response:
        if not request.url.path.startswith(PREFIX):
            return validation_answer(err)
        return render(request, "missing.html", None, 404)

    app.add_middleware(ConsoleGuard, render=render)


class ConsoleGuard:
    """Refuse a console address with control characters; add the security headers to
    every console answer. A plain ASGI middleware: Starlette's `@app.middleware("http")`
    cost 0.25-0.45 ms of CPU on every request the hub served, the kiosks' feed included,
    though it passes them through untouched."""

    def __init__(self, app: ASGIApp, render: Callable[..., Response]) -> None:
        self.app, self.render = app, render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        if not request.url.path.startswith(PREFIX):
            return await self.app(scope, receive, send)
        if _unreadable(
            request.url.path, *(v for kv in request.query_params.multi_items() for v in kv)
        ):
            refused = self.render(request, "refused.html", None, 400, why="form_unreadable")
            refused.headers.update(SECURITY_HEADERS)
            return await refused(scope, receive, send)

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_guarded)
