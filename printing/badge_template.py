"""Badge layouts as data: a TOML file per badge kind (and per event) the pass office edits.

Positions and sizes are in millimetres from the card's top-left corner, as a ruler on a
printed card reads them. A template is checked when it is loaded; every mistake is
reported with the file and the setting it is in, e.g.
``event.toml: text[2] (surname): box.w must be a number above 0, not "wide"``.

Which template a badge uses (`TemplateBook.template_for`): in each folder searched
(the kiosk's `DATA_DIR/templates` first, then the defaults shipped in
`printing/templates`), ``<event id>.<kind>.toml`` and then ``<kind>.toml``, where the
kind is ``annual``, ``event`` or ``pool``.

Bounded: a template file, its texts, its lists and its logos have size limits (below), so
a malicious or mistaken file is refused with a TemplateError naming the limit; it never
crashes or hangs the loader. Logos are opened and decoded here, once, within those limits.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk.model import BadgeCard

BUILTIN_DIR = Path(__file__).resolve().parent / "templates"
CARD_LONG, CARD_SHORT = 85.60, 53.98  # CR80 / ISO 7810 ID-1, mm
KINDS = ("annual", "event", "pool")
ORIENTATIONS = ("landscape", "portrait")
FIELDS = (
    "text",  # the template's own words, in `text`
    "surname",  # in capitals
    "given_names",
    "organisation",
    "media_kind",  # "PHOTOGRAPHER / PHOTOGRAPHE"
    "valid_dates",  # "13.02.2026 – 15.02.2026"
    "event_name",  # "English / French" when the office gave a French name and both fit
    "event_name_fr",  # the French name alone (the English one when none was given)
    "serial",
)
FONTS = ("regular", "bold", "mono")
ALIGNS = ("left", "centre", "right")
VALIGNS = ("top", "middle", "bottom")
BAND_INK = "band-ink"  # text colour: white or black, whichever reads on the band
EVENT_COLOUR = "event"  # band colour: the event's own colour
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
FILE_LIMIT = 64 * 1024  # bytes of TOML
TEXT_LIMIT = 300  # characters of one text (a field's words, a back line, a title)
LIST_LIMIT = 40  # [[text]] sections, back lines
LOGO_LIMIT = 4  # [[logo]] sections
LOGO_BYTES = 2 * 1024 * 1024
LOGO_SIDE, LOGO_PIXELS = 4096, 8_000_000  # a logo on an 86 mm card needs far fewer
NUMBER_LIMIT = 1000.0  # millimetres or points: larger means nothing on a card


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file and the setting."""


@dataclass(frozen=True)
class Rect:
    """A box on the card in mm: left, top, width, height (from the top-left corner)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inside(self, other: Rect, tol: float = 1e-6) -> bool:
        """True if this box lies entirely within `other`."""
        return (
            self.x >= other.x - tol
            and self.y >= other.y - tol
            and self.right <= other.right + tol
            and self.bottom <= other.bottom + tol
        )

    def overlaps(self, other: Rect, tol: float = 1e-6) -> bool:
        """True if the two boxes share some area."""
        return (
            self.x < other.right - tol
            and other.x < self.right - tol
            and self.y < other.bottom - tol
            and other.y < self.bottom - tol
        )


@dataclass(frozen=True)
class TextField:
    """One text on the card, set within its box: shrunk, then wrapped to two lines when
    the box is tall enough, then cut with an ellipsis; never outside the box."""

    field: str
    box: Rect
    size: float  # largest size, points
    min_size: float
    font: str = "regular"
    colour: str = "#1a1a1a"
    align: str = "left"
    valign: str = "top"
    text: str = ""  # for field = "text"


@dataclass(frozen=True)
class Band:
    """The coloured band that tells badge kinds apart at a glance."""

    box: Rect
    colour: str = EVENT_COLOUR
    radius: float = 1.2


@dataclass(frozen=True)
class Marker:
    """A word in a reversed box (the POOL marker), printed only on pool cards."""

    box: Rect
    text: str = "POOL"
    size: float = 11.0


@dataclass(frozen=True)
class Logo:
    """A picture file (PNG or JPEG) next to the template, fitted in its box."""

    file: Path
    box: Rect


@dataclass(frozen=True)
class BackSide:
    """Text printed on the card's back (e.g. the rules for wearing the pass)."""

    title: str
    lines: tuple[str, ...]
    size: float = 6.0


@dataclass(frozen=True)
class BadgeTemplate:
    """A checked badge layout."""

    name: str
    kind: str
    orientation: str
    safe_margin: float
    texts: tuple[TextField, ...]
    band: Band | None = None
    photo: Rect | None = None
    barcode: Rect | None = None  # Code128 of the serial, centred in the box
    qr: Rect | None = None  # the signed badge code, when the badge has one
    pool: Marker | None = None
    logos: tuple[Logo, ...] = ()
    back: BackSide | None = None
    source: str = ""

    @property
    def size_mm(self) -> tuple[float, float]:
        """The card's width and height in mm, as it is designed."""
        if self.orientation == "landscape":
            return CARD_LONG, CARD_SHORT
        return CARD_SHORT, CARD_LONG

    @property
    def safe(self) -> Rect:
        """The area inside the safe margin: everything printed lies in it."""
        w, h = self.size_mm
        m = self.safe_margin
        return Rect(m, m, w - 2 * m, h - 2 * m)


def kind_of(card: BadgeCard) -> str:
    """The template kind a card is printed with."""
    return "pool" if card.pool else card.flow.value


def load_template(path: Path) -> BadgeTemplate:
    """Read and check the template file at `path`; TemplateError says what is wrong."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(FILE_LIMIT + 1)
    except OSError as err:
        raise TemplateError(f"{path}: cannot be read: {err.strerror}") from err
    if len(raw) > FILE_LIMIT:
        raise TemplateError(f"{path.name}: larger than {FILE_LIMIT // 1024} KB: not a template")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TemplateError(f"{path.name}: not valid TOML: {err}") from err
    except RecursionError as err:
        raise TemplateError(f"{path.name}: not valid TOML: nested too deep") from err
    return parse_template(data, path.name, path.parent)


class TemplateBook:
    """Finds the template for a badge: the pass office's folder first, then the defaults."""

    def __init__(self, *folders: Path) -> None:
        self.folders = (*folders, BUILTIN_DIR)
        self._cache: dict[Path, tuple[float, BadgeTemplate]] = {}

    def path_for(self, kind: str, event_id: str | None = None) -> Path:
        """The file a badge of `kind` (for `event_id`) is laid out with."""
        names = ([f"{event_id}.{kind}.toml"] if event_id else []) + [f"{kind}.toml"]
        for folder in self.folders:
            for name in names:
                if (folder / name).is_file():
                    return folder / name
        raise TemplateError(f"no template {kind}.toml in {', '.join(map(str, self.folders))}")

    def template_for(self, kind: str, event_id: str | None = None) -> BadgeTemplate:
        """The checked template (re-read when its file changes)."""
        path = self.path_for(kind, event_id)
        mtime = path.stat().st_mtime
        cached = self._cache.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, load_template(path))
            self._cache[path] = cached
        return cached[1]

    def for_card(self, card: BadgeCard) -> BadgeTemplate:
        """The template `card` is printed with."""
        return self.template_for(kind_of(card), card.event_id)


def default_template(kind: str) -> BadgeTemplate:
    """The shipped template of `kind`."""
    return TemplateBook().template_for(kind)


# --- Checking --------------------------------------------------------------------------


class _Where:
    """Reads one table of the file, naming the setting in every error."""

    def __init__(self, data: object, source: str, path: str) -> None:
        self.source, self.path = source, path
        if not isinstance(data, dict):
            self.fail(f"must be a table of settings, not {_show(data)}")
        self.data: dict = data  # type: ignore[assignment]

    def fail(self, what: str, key: str | None = None) -> None:
        where = f"{self.path}.{key}" if self.path and key else (key or self.path)
        raise TemplateError(f"{self.source}: {where}: {what}")

    def only(self, *known: str) -> None:
        for key in self.data:
            if key not in known:
                self.fail(f"unknown setting (known: {', '.join(known)})", key)

    def has(self, key: str) -> bool:
        return key in self.data

    def number(
        self, key: str, default: float | None = None, low: float = 0.0, high: float = NUMBER_LIMIT
    ) -> float:
        value = self.data.get(key, default)
        if value is None:
            self.fail("is missing", key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= low:
            self.fail(f"must be a number above {low:g}, not {_show(value)}", key)
        if not math.isfinite(value) or value > high:
            self.fail(f"must be a number up to {high:g}, not {_show(value)}", key)
        return float(value)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            self.fail("is missing", key)
        if not isinstance(value, str):
            self.fail(f"must be text in quotes, not {_show(value)}", key)
        if len(value) > TEXT_LIMIT:
            self.fail(f"has {len(value)} characters: at most {TEXT_LIMIT}", key)
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key, default)
        if value not in choices:
            self.fail(f"must be one of {', '.join(choices)}, not {_show(value)}", key)
        return value

    def colour(self, key: str, default: str, special: tuple[str, ...] = ()) -> str:
        value = self.text(key, default)
        if value not in special and not _HEX.fullmatch(value):
            also = "".join(f' or "{s}"' for s in special)
            self.fail(f'must be a colour "#rrggbb"{also}, not {_show(value)}', key)
        return value

    def box(self, key: str = "box") -> Rect:
        if key not in self.data:
            self.fail("is missing (a table: { x = …, y = …, w = …, h = … } in mm)", key)
        inner = _Where(self.data[key], self.source, f"{self.path}.{key}" if self.path else key)
        inner.only("x", "y", "w", "h")
        return Rect(
            inner.number("x", low=-1e-9),
            inner.number("y", low=-1e-9),
            inner.number("w"),
            inner.number("h"),
        )

    def table(self, key: str) -> _Where | None:
        if key not in self.data:
            return None
        return _Where(self.data[key], self.source, key if not self.path else f"{self.path}.{key}")

    def tables(self, key: str, limit: int = LIST_LIMIT) -> list[_Where]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(f"must be a list of tables ([[{key}]] sections)", key)
        if len(value) > limit:
            self.fail(f"{len(value)} sections: at most {limit}", key)
        return [_Where(v, self.source, f"{key}[{i}]") for i, v in enumerate(value)]


def _show(value: object) -> str:
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def parse_template(data: dict, source: str, base_dir: Path | None = None) -> BadgeTemplate:
    """Check parsed TOML `data` and build the template; `source` names it in errors."""
    top = _Where(data, source, "")
    top.only(
        "name", "kind", "orientation", "safe_margin", "band", "photo", "barcode", "qr",
        "pool", "logo", "text", "back",
    )  # fmt: skip
    template = BadgeTemplate(
        name=top.text("name"),
        kind=top.choice("kind", KINDS),
        orientation=top.choice("orientation", ORIENTATIONS, "landscape"),
        safe_margin=top.number("safe_margin", 2.0),
        texts=tuple(_text_field(t) for t in top.tables("text")),
        band=_band(top.table("band")),
        photo=_plain_box(top.table("photo")),
        barcode=_plain_box(top.table("barcode")),
        qr=_plain_box(top.table("qr")),
        pool=_marker(top.table("pool")),
        logos=tuple(_logo(t, base_dir) for t in top.tables("logo", LOGO_LIMIT)),
        back=_back(top.table("back")),
        source=source,
    )
    if template.kind == "pool" and template.pool is None:
        top.fail("a pool card needs a [pool] marker", "pool")
    if template.barcode is None:
        top.fail("is missing: every badge carries its serial as a barcode", "barcode")
    _check_places(template, top)
    return template


def _text_field(t: _Where) -> TextField:
    field = t.choice("field", FIELDS)
    t.path = f"{t.path} ({field})"
    t.only("field", "text", "box", "size", "min_size", "font", "colour", "align", "valign")
    size = t.number("size")
    min_size = t.number("min_size", size)
    if min_size > size:
        t.fail(f"must not be larger than size ({size:g})", "min_size")
    if field == "text" and not t.text("text").strip():
        t.fail("must not be empty", "text")
    if field != "text" and t.has("text"):
        t.fail(f'is only for field = "text" (this field prints the {field})', "text")
    return TextField(
        field=field,
        box=t.box(),
        size=size,
        min_size=min_size,
        font=t.choice("font", FONTS, "regular"),
        colour=t.colour("colour", "#1a1a1a", (BAND_INK,)),
        align=t.choice("align", ALIGNS, "left"),
        valign=t.choice("valign", VALIGNS, "top"),
        text=t.text("text", ""),
    )


def _band(t: _Where | None) -> Band | None:
    if t is None:
        return None
    t.only("box", "colour", "radius")
    return Band(
        t.box(), t.colour("colour", EVENT_COLOUR, (EVENT_COLOUR,)), t.number("radius", 1.2, -1e-9)
    )


def _plain_box(t: _Where | None) -> Rect | None:
    if t is None:
        return None
    t.only("box")
    return t.box()


def _marker(t: _Where | None) -> Marker | None:
    if t is None:
        return None
    t.only("box", "text", "size")
    return Marker(t.box(), t.text("text", "POOL"), t.number("size", 11.0))


def _logo(t: _Where, base_dir: Path | None) -> Logo:
    t.only("file", "box")
    name = t.text("file")
    path = (base_dir or Path.cwd()) / name
    if not path.is_file():
        t.fail(f'"{name}" not found next to the template ({path.parent})', "file")
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        t.fail(f'"{name}" must be a PNG or JPEG picture', "file")
    problem = _picture_problem(path)
    if problem:
        t.fail(f'"{name}" {problem}', "file")
    return Logo(path, t.box())


def _picture_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be a logo, or None: checked by size, then by its
    header (a picture declaring too many pixels is refused unread), then decoded."""
    size = path.stat().st_size
    if size > LOGO_BYTES:
        return f"has {size // 1024} KB: a logo may have at most {LOGO_BYTES // 1024} KB"
    try:
        with Image.open(path) as image:
            if image.format not in ("PNG", "JPEG"):
                return f"is a {image.format} picture, not PNG or JPEG"
            w, h = image.size
            if max(w, h) > LOGO_SIDE or w * h > LOGO_PIXELS:
                return f"is {w} x {h} pixels: a logo may have at most {LOGO_PIXELS:,} pixels"
            image.load()  # a damaged picture fails here, not when a badge prints
    except Image.DecompressionBombError:  # Pillow's own, far larger, limit
        return f"declares too many pixels: a logo may have at most {LOGO_PIXELS:,} pixels"
    except (OSError, SyntaxError, ValueError):
        return "is not a readable PNG or JPEG picture"
    return None


def _back(t: _Where | None) -> BackSide | None:
    if t is None:
        return None
    t.only("title", "lines", "size")
    lines = t.data.get("lines")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
        t.fail('must be a list of texts, e.g. ["Wear this pass visibly.", …]', "lines")
    if len(lines) > LIST_LIMIT or any(len(x) > TEXT_LIMIT for x in lines):
        t.fail(f"at most {LIST_LIMIT} lines of at most {TEXT_LIMIT} characters", "lines")
    return BackSide(t.text("title", ""), tuple(lines), t.number("size", 6.0))


def _elements(template: BadgeTemplate) -> list[tuple[str, Rect]]:
    named = [(f"text[{i}] ({t.field})", t.box) for i, t in enumerate(template.texts)] + [
        (f"logo[{i}]", logo.box) for i, logo in enumerate(template.logos)
    ]
    for name in ("photo", "barcode", "qr"):
        box = getattr(template, name)
        if box is not None:
            named.append((name, box))
    if template.pool is not None:
        named.append(("pool", template.pool.box))
    return named


def _check_places(template: BadgeTemplate, top: _Where) -> None:
    """Every box inside the safe area; none overlapping another, except that texts, logos
    and the pool marker may sit on the band."""
    safe = template.safe
    w, h = template.size_mm
    band = template.band.box if template.band else None
    boxes = _elements(template) + ([("band", band)] if band else [])
    for name, box in boxes:
        if not box.inside(safe):
            top.fail(
                f"box (x {box.x:g}, y {box.y:g}, w {box.w:g}, h {box.h:g}) leaves the printable "
                f"area: x {safe.x:g}–{safe.right:g} mm, y {safe.y:g}–{safe.bottom:g} mm of the "
                f"{template.orientation} card ({w:g} x {h:g} mm, safe margin "
                f"{template.safe_margin:g} mm)",
                name,
            )
    on_band = {name for name, box in _elements(template) if band and box.inside(band)}
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if "band" in (a, b) and (a in on_band or b in on_band):
                continue
            if box_a.overlaps(box_b):
                top.fail(f"box overlaps {b}: move or shrink one of them", a)
