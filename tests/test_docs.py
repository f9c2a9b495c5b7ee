"""The README and docs/ hold together: every relative link leads to a file that exists
and, for a Markdown page, to a heading it has; every repository file a page or the code
names exists; architecture.md's layout names every module; every page of docs/ is
reachable from the README; the README and each page stay short."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
MAX_README_LINES = 300
MAX_PAGE_LINES = 300

# [text](target) and ![alt](target), with an optional "title" after the target.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto: ...
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def relative_links(text: str) -> list[str]:
    """The relative link targets of a Markdown text, anchors kept (code left out)."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    return [t for t in LINK.findall(prose) if not EXTERNAL.match(t)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the text as shown, lower case, punctuation dropped,
    spaces turned into hyphens."""
    text = INLINE_LINK.sub(r"\1", heading).replace("`", "").replace("*", "").lower()
    kept = (c for c in text if c.isalnum() or c in "-_ " or unicodedata.category(c).startswith("M"))
    return "".join(kept).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown text's headings; a repeated one gets -1, -2, ... as on
    GitHub."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(page: Path) -> list[str]:
    """The relative links of `page` that lead to no existing file or folder, or to a
    heading a Markdown page does not have."""
    broken = []
    for target in relative_links(page.read_text(encoding="utf-8")):
        path, _, anchor = target.partition("#")
        file = page.parent / unquote(path) if path else page
        if not file.exists() or anchor_missing(file, anchor):
            broken.append(target)
    return broken


def anchor_missing(file: Path, anchor: str) -> bool:
    """Whether `anchor` names no heading of `file` (only Markdown pages are checked)."""
    if not anchor or file.suffix != ".md" or not file.is_file():
        return False
    return unquote(anchor) not in anchors(file.read_text(encoding="utf-8"))


def lines_over(page: Path, limit: int) -> int:
    """How many lines `page` has beyond `limit` (0 when it is within it)."""
    return max(0, len(page.read_text(encoding="utf-8").splitlines()) - limit)


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading(page: Path):
    assert broken_links(page) == []


def test_a_broken_link_is_reported(tmp_path: Path):
    (tmp_path / "there.md").write_text("# A section\n\n```\n# not a heading\n```\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n[ok](there.md#a-section) ![gone](missing.png) [web](https://example.org/x)\n"
        "[anchor](#top) [no anchor](#nowhere) [fenced](there.md#not-a-heading)\n"
        "`[code](not-a-link.md)`\n```\n[fenced](nor-this.md)\n```\n"
    )
    assert broken_links(page) == ["missing.png", "#nowhere", "there.md#not-a-heading"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Signed badges and security's check", "signed-badges-and-securitys-check"),
        ("Pool cards (`kiosk/pool.py`)", "pool-cards-kioskpoolpy"),
        ("Badge templates (`ui/template_screen.py`)", "badge-templates-uitemplate_screenpy"),
        ("Keys: where they live, how they change", "keys-where-they-live-how-they-change"),
        ("**Données** — [chip](chip.md) Ü", "données--chip-ü"),
    ],
)
def test_anchors_are_githubs(heading: str, anchor: str):
    assert slug(heading) == anchor


def test_a_repeated_heading_is_numbered():
    assert anchors("## Tests\n## Tests\n### Tests\n") == {"tests", "tests-1", "tests-2"}


def test_the_readme_links_every_page_of_docs():
    targets = relative_links(README.read_text(encoding="utf-8"))
    linked = {(README.parent / unquote(t.partition("#")[0])).resolve() for t in targets}
    assert PAGES, "docs/ holds no page"
    assert [p.name for p in PAGES if p.resolve() not in linked] == []


def test_the_readme_stays_short():
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail to docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_of_docs_stays_short(page: Path):
    over = lines_over(page, MAX_PAGE_LINES)
    assert over == 0, f"{page.name} has {MAX_PAGE_LINES + over} lines; split it by topic"


def test_a_page_of_301_lines_is_too_long(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("line\n" * 300)
    assert lines_over(page, MAX_PAGE_LINES) == 0
    page.write_text("line\n" * 301)
    assert lines_over(page, MAX_PAGE_LINES) == 1


TOP_FOLDERS = sorted(
    d.name for d in ROOT.iterdir() if d.is_dir() and not d.name.startswith((".", "_"))
)
REPO_PATH = re.compile(
    rf"(?<![\w./-])((?:{'|'.join(map(re.escape, TOP_FOLDERS))})/[\w./-]*\w"
    r"\.(?:py|sh|md|json|toml|txt|png|ts|qm|ini|cfg))(?![\w/])"
)


PLACEHOLDER = re.compile(r"(?:^|[/_-])[A-Z]+(?=[._/-])")  # bench/NAME.py, sync_N.json
WRITTEN = ("bench/results/",)  # what the benchmarks write: not in a clean clone


def missing_files(text: str) -> list[str]:
    """The repository files a text names (`kiosk/store/records.py`) that do not exist;
    placeholders in capitals and files the benchmarks write left out."""
    named = {p for p in REPO_PATH.findall(text) if not PLACEHOLDER.search(p)}
    named = {p for p in named if not p.startswith(WRITTEN)}
    return sorted(p for p in named if not (ROOT / p).exists())


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_file_a_page_names_exists(page: Path):
    assert missing_files(page.read_text(encoding="utf-8")) == []


def test_a_named_file_that_is_gone_is_reported():
    text = (
        "`kiosk/store/records.py`, kiosk/gone.py, docs/testing.md, bench/NAME.py, "
        "bench/results/sync_N.json, bench/results/summary.md and tests/app/gone_too.py"
    )
    assert missing_files(text) == ["kiosk/gone.py", "tests/app/gone_too.py"]


def python_files(folders: Iterable[str]) -> list[Path]:
    """The Python files under `folders` of the repository."""
    found = (p for f in folders for p in (ROOT / f).rglob("*.py"))
    return sorted(p for p in found if "__pycache__" not in p.parts)


def test_every_file_the_code_names_exists():
    sources = python_files(f for f in TOP_FOLDERS if f not in {"docs", "tests"})
    sources += [p for p in python_files(["tests"]) if p.name.startswith("test_")]
    wrong = {
        p.relative_to(ROOT).as_posix(): gone
        for p in sources
        if p.name != "test_docs.py" and (gone := missing_files(p.read_text(encoding="utf-8")))
    }
    assert wrong == {}


PACKAGES = ("kiosk", "scanning", "printing", "sync", "chip", "ui", "hub", "app")


def layout(text: str) -> str:
    """The code block under architecture.md's "Layout" heading."""
    section = text.split("\n## Layout\n", 1)[1]
    return FENCE.search(section).group(0)


def unlisted_modules(block: str) -> list[str]:
    """Modules of the packages (migrations left out) whose name the block does not hold."""
    words = set(re.findall(r"[a-z_][a-z0-9_]*", block))
    return [
        p.relative_to(ROOT).as_posix()
        for p in python_files(PACKAGES)
        if p.stem != "__init__" and "migrations" not in p.parts and p.stem not in words
    ]


def test_the_layout_names_every_module():
    block = layout((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert unlisted_modules(block) == []


def test_a_module_left_out_of_the_layout_is_reported():
    assert "kiosk/rules.py" in unlisted_modules("```\nkiosk/  model, counter\n```")
