"""Text of the printed guides: the beginner's guide, the trainer's guide and the
digital friend's card, in Finnish, Swedish and English.

The words live in plain text files under ``pdf_templates/guides/<lang>/`` so that a
coordinator can improve them without touching code; ``guides/README.md`` describes
the file format. This module reads those files into small frozen dataclasses that the
PDF and HTML layout code uses::

    guide = load_guide("beginner", "fi")
    for chapter in guide.ordered(["contact", "health"]):   # a senior's priorities first
        ...

Run ``python -m pdf_templates.guide_content`` to check every guide file and list any
problems (exit code 1 if there are some).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

from digiystava.i18n import DEFAULT_LANGUAGE, LANGUAGES
from pdf_templates.pictures.catalog import PICTURE_KINDS, Picture, known, picture_names

__all__ = [
    "GUIDES_DIR",
    "GUIDE_KINDS",
    "OS_NAMES",
    "REQUIRED_LABELS",
    "SKILL_NUMBERS",
    "VOLUNTEER_CARD_PLACEHOLDERS",
    "Block",
    "Chapter",
    "Guide",
    "GuideFormatError",
    "Picture",
    "check_guides",
    "load_glossary",
    "load_guide",
    "normalize_language",
    "parse_chapter_file",
    "parse_chapter_text",
    "volunteer_card",
    "volunteer_card_text",
]

GUIDES_DIR = Path(__file__).resolve().parent / "guides"

GUIDE_KINDS: tuple[str, ...] = ("beginner", "trainer")

# The beginner's guide's skills section: a chapter numbered 10-29 is the chapter of the skill
# it is named after. The skills are the instrument's (assessments/instrument), which the
# printing layer does not read: the app orders the chapters by it, and a test matches them.
SKILL_NUMBERS = range(10, 30)

OS_NAMES: tuple[str, ...] = ("android", "ipados")
_FENCE_NAMES: tuple[str, ...] = (*OS_NAMES, "tip")

# Placeholders are allowed in volunteer_card.md only, and only these.
VOLUNTEER_CARD_PLACEHOLDERS: tuple[str, ...] = (
    "volunteer_name",
    "organisation",
    "cohort_name",
    "place",
)

# Keys every <lang>/meta.json "labels" object must have (same set in every language).
# "glossary" and "volunteer_card" are added from the first line of glossary.md and
# volunteer_card.md, so they are not written in meta.json.
REQUIRED_LABELS: tuple[str, ...] = (
    "language_name",
    "contents",
    "chapter",
    "page",
    "getting_started",
    "skills",
    "android",
    "ipados",
    "tip",
    "notes",
    "help",
    "my_digital_friend",
    "my_trainer",
    "week",
    "group_lesson",
    "friend_practice",
    "scale_0",
    "scale_1",
    "scale_2",
    "scale_3",
    "scale_4",
    "scale_none",
)

_CHAPTER_FILE_RE = re.compile(r"^(?P<number>\d{2})-(?P<key>[a-z][a-z0-9_]*)\.md$")
_FENCE_RE = re.compile(r"^:::\s*(?P<name>[^\s:]+)?\s*$")
_STEP_RE = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>\S.*)$")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
# A picture named in the text: [icon: wifi], [gesture: swipe-down], [tablet: ipad], [scene: email].
_PICTURE_RE = re.compile(r"\[\s*(?P<kind>[^\[\]:]*?)\s*:\s*(?P<name>[^\[\]]*?)\s*\]")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Block:
    """One piece of a chapter.

    kind "heading" and "paragraph" use ``text``; "steps" (numbered, always numbered
    from 1 in print) and "bullets" use ``items``; "tip" (a "Good to know" box) uses
    ``text`` (paragraphs separated by a blank line) and optionally ``items`` (bullets
    shown after the text). ``os`` is "android" or "ipados" for content that applies to
    that tablet only, None for content that applies to both.

    ``pictures`` holds the pictures the text names (``[icon: wifi]``): one tuple per
    item of "steps" and "bullets", one tuple for a "paragraph", and for kind "picture"
    (a line holding only pictures, shown large) one tuple with those pictures.
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    os: str | None = None
    pictures: tuple[tuple[Picture, ...], ...] = ()

    def pictures_of(self, index: int = 0) -> tuple[Picture, ...]:
        """The pictures of one step or bullet (or of the paragraph): () when none."""
        return self.pictures[index] if index < len(self.pictures) else ()


@dataclass(frozen=True)
class Chapter:
    key: str
    skill_code: str | None
    title: str
    blocks: tuple[Block, ...]
    number: int = 0  # the NN of the file name; decides the default order

    def steps_for(self, os: str) -> tuple[Block, ...]:
        """The numbered-step blocks written for one tablet type."""
        return tuple(b for b in self.blocks if b.kind == "steps" and b.os == os)

    @property
    def tips(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "tip")

    def for_os(self, os: str | None) -> Chapter:
        """This chapter with the other tablet type's blocks left out (None: keep all)."""
        if os is None:
            return self
        _check_os(os)
        return replace(self, blocks=tuple(b for b in self.blocks if b.os in (None, os)))

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """Every picture the chapter names, in order (repeats included)."""
        return tuple(p for b in self.blocks for group in b.pictures for p in group)

    def all_text(self) -> str:
        """Every word of the chapter as one string (for searching and tests)."""
        parts = [self.title]
        for b in self.blocks:
            if b.text:
                parts.append(b.text)
            parts.extend(b.items)
        return "\n".join(parts)


@dataclass(frozen=True)
class Guide:
    lang: str
    kind: str
    title: str
    subtitle: str
    chapters: tuple[Chapter, ...]
    labels: Mapping[str, str] = field(hash=False)  # read-only mapping
    glossary: tuple[tuple[str, str], ...] = ()  # (term, explanation), in file order

    def chapter(self, key: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.key == key:
                return chapter
        raise KeyError(f"no chapter {key!r} in the {self.kind} guide ({self.lang})")

    @property
    def skill_chapters(self) -> tuple[Chapter, ...]:
        return tuple(c for c in self.chapters if c.skill_code)

    def skill_chapter(self, skill_code: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.skill_code == skill_code:
                return chapter
        raise KeyError(f"no chapter for skill {skill_code!r} in the {self.kind} guide ({self.lang})")

    def ordered(self, skill_codes: Iterable[str], include_rest: bool = True) -> tuple[Chapter, ...]:
        """All chapters, with the skill chapters in the given order of priority.

        Chapters that are not skill chapters keep their place (getting-started
        chapters before the skills, "where to get help" after them). Skill chapters
        not named come after the named ones in their usual order, or are left out if
        ``include_rest`` is false. Unknown skill codes raise ValueError.
        """
        known = [c.skill_code for c in self.skill_chapters]
        wanted: list[str] = []
        for code in skill_codes:
            if code not in known:
                raise ValueError(f"unknown skill code {code!r}; known codes: {', '.join(map(str, known))}")
            if code not in wanted:
                wanted.append(code)
        by_code = {c.skill_code: c for c in self.skill_chapters}
        skills = [by_code[code] for code in wanted if code in by_code]
        if include_rest:
            skills += [c for c in self.skill_chapters if c.skill_code not in wanted]
        result: list[Chapter] = []
        placed = False
        for chapter in self.chapters:
            if chapter.skill_code:
                if not placed:
                    result.extend(skills)
                    placed = True
            else:
                result.append(chapter)
        return tuple(result)

    def for_os(self, os: str | None) -> Guide:
        """The guide for a senior with one tablet type: the other type's steps left out."""
        if os is None:
            return self
        _check_os(os)
        return replace(self, chapters=tuple(c.for_os(os) for c in self.chapters))


class GuideFormatError(ValueError):
    """A guide file breaks the format; the message names the file and line."""

    def __init__(self, reason: str, path: str | Path | None = None, line: int | None = None):
        self.reason = reason
        self.path = _display_path(path) if path is not None else None
        self.line = line
        where = self.path or "<text>"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"{where}: {reason}")


def _display_path(path: str | Path) -> str:
    p = Path(path)
    try:
        return "pdf_templates/guides/" + p.resolve().relative_to(GUIDES_DIR).as_posix()
    except (ValueError, OSError):
        return str(path)


def _check_os(os: str) -> None:
    if os not in OS_NAMES:
        raise ValueError(f"unknown tablet type {os!r}; use one of: {', '.join(OS_NAMES)}")


# --------------------------------------------------------------------------- parser


class _Builder:
    """Turns the lines of one chapter file into blocks, one line at a time."""

    def __init__(self, source: str | Path, allowed_placeholders: frozenset[str]):
        self.source = source
        self.allowed_placeholders = allowed_placeholders
        self.blocks: list[Block] = []
        self.fence: tuple[str, int] | None = None  # (name, line where it was opened)
        self.fence_start = 0  # len(self.blocks) when the fence was opened
        self.para: list[str] = []
        self.para_pictures: list[Picture] = []
        self.list_kind: str | None = None
        self.list_items: list[str] = []
        self.list_pictures: list[list[Picture]] = []
        self.list_gap = False  # a blank line after the last list item
        self.tip_paras: list[str] = []
        self.tip_items: list[str] = []

    def error(self, reason: str, line: int) -> GuideFormatError:
        return GuideFormatError(reason, self.source, line)

    @property
    def in_tip(self) -> bool:
        return self.fence is not None and self.fence[0] == "tip"

    @property
    def os(self) -> str | None:
        if self.fence is not None and self.fence[0] in OS_NAMES:
            return self.fence[0]
        return None

    def flush_para(self) -> None:
        if not self.para:
            return
        text = " ".join(self.para)
        pictures = (tuple(self.para_pictures),) if self.para_pictures else ()
        self.para, self.para_pictures = [], []
        if self.in_tip:
            self.tip_paras.append(text)
        else:
            self.blocks.append(Block("paragraph", text=text, os=self.os, pictures=pictures))

    def flush_list(self) -> None:
        if self.list_kind is None:
            return
        if self.in_tip:
            self.tip_items.extend(self.list_items)
        else:
            pictures = tuple(tuple(p) for p in self.list_pictures) if any(self.list_pictures) else ()
            self.blocks.append(Block(self.list_kind, items=tuple(self.list_items), os=self.os, pictures=pictures))
        self.list_kind = None
        self.list_items = []
        self.list_pictures = []
        self.list_gap = False

    def flush(self) -> None:
        self.flush_para()
        self.flush_list()

    def check_inline(self, text: str, line: int) -> None:
        if "**" in text:
            raise self.error("bold or italic marks (**) are not supported; write plain text", line)
        for match in _PLACEHOLDER_RE.finditer(text):
            name = match.group(1)
            if not self.allowed_placeholders:
                raise self.error(
                    f"'{{{name}}}': curly brackets are for placeholders, and placeholders are "
                    "allowed only in volunteer_card.md",
                    line,
                )
            if name not in self.allowed_placeholders:
                raise self.error(
                    f"unknown placeholder '{{{name}}}'; allowed here: "
                    + ", ".join(f"{{{p}}}" for p in sorted(self.allowed_placeholders)),
                    line,
                )
        rest = _PLACEHOLDER_RE.sub("", text)
        if "{" in rest or "}" in rest:
            raise self.error("a lone curly bracket { or }; write a placeholder as {name}", line)

    def feed(self, raw: str, line: int) -> None:
        stripped = raw.strip()
        if not stripped:
            self.flush_para()
            if self.list_kind is not None:
                self.list_gap = True
            return

        if stripped.startswith(":::"):
            self.flush()
            self.fence_line(stripped, line)
            return

        self.check_inline(stripped, line)
        pictures, stripped = self.take_pictures(stripped, line)
        if pictures and not stripped:
            self.flush()
            self.blocks.append(Block("picture", os=self.os, pictures=(pictures,)))
            return

        if stripped.startswith("#"):
            if pictures:
                raise self.error("a heading cannot name a picture; put it on the step or on a line of its own", line)
            self.flush()
            if stripped.startswith("## ") and not stripped.startswith("###") and stripped[3:].strip():
                if self.fence is not None:
                    name, opened = self.fence
                    raise self.error(
                        f"a '## ' subheading cannot be inside the '::: {name}' block opened on "
                        f"line {opened}; close the block with ':::' first",
                        line,
                    )
                self.blocks.append(Block("heading", text=stripped[3:].strip()))
                return
            if stripped.startswith("# "):
                raise self.error(
                    "only the first line may be a '# ' title; write a subheading as '## Subheading'",
                    line,
                )
            raise self.error(
                "unsupported heading; write a subheading as '## Subheading' (two # signs and a space)",
                line,
            )

        kind: str | None = None
        content = ""
        step = _STEP_RE.match(stripped)
        if step:
            kind, content = "steps", step.group("text").strip()
        elif stripped.startswith("- ") and stripped[2:].strip():
            kind, content = "bullets", stripped[2:].strip()
        elif stripped[0] in "*•+" and (len(stripped) == 1 or stripped[1] == " "):
            raise self.error("start a bullet line with '- ' (a hyphen and a space)", line)
        elif stripped == "-":
            raise self.error("an empty bullet line", line)

        if kind is not None:
            if self.in_tip and kind == "steps":
                raise self.error(
                    "numbered steps cannot be inside a '::: tip' block; use '- ' bullets there",
                    line,
                )
            self.flush_para()
            if self.list_kind != kind:
                self.flush_list()
                self.list_kind = kind
            self.list_items.append(content)
            self.list_pictures.append(list(pictures))
            self.list_gap = False
            return

        if self.list_kind is not None and (not self.list_gap or raw[:1] in (" ", "\t")):
            # A continuation line of the last step or bullet.
            self.list_items[-1] = f"{self.list_items[-1]} {stripped}"
            self.list_pictures[-1] += pictures
            return

        self.flush_list()
        self.para.append(stripped)
        self.para_pictures += pictures

    def take_pictures(self, text: str, line: int) -> tuple[tuple[Picture, ...], str]:
        """The pictures a line names, and the line without them."""
        found: list[Picture] = []
        for match in _PICTURE_RE.finditer(text):
            kind, name = match.group("kind").lower(), match.group("name").lower()
            if kind not in PICTURE_KINDS:
                raise self.error(
                    f"unknown kind of picture '[{match.group('kind')}: ...]'; use "
                    + ", ".join(f"[{k}: name]" for k in PICTURE_KINDS),
                    line,
                )
            if not known(kind, name):
                raise self.error(
                    f"unknown picture '[{kind}: {match.group('name')}]'; known {kind} pictures: "
                    + ", ".join(picture_names(kind)),
                    line,
                )
            found.append(Picture(kind, name))
        if not found:
            if "[" in text or "]" in text:
                raise self.error("square brackets are for pictures, written as [icon: name]", line)
            return (), text
        if self.in_tip:
            raise self.error("a '::: tip' block cannot hold pictures; put the picture on a step", line)
        rest = " ".join(_PICTURE_RE.sub(" ", text).split())
        if "[" in rest or "]" in rest:
            raise self.error("square brackets are for pictures, written as [icon: name]", line)
        return tuple(found), rest

    def fence_line(self, stripped: str, line: int) -> None:
        match = _FENCE_RE.match(stripped)
        choices = "'::: android', '::: ipados' or '::: tip'"
        if not match:
            raise self.error(
                f"a block line is either {choices} (to open) or ':::' alone (to close); got {stripped!r}",
                line,
            )
        name = match.group("name")
        if name is None:
            if self.fence is None:
                raise self.error(f"':::' closes a block, but no block is open (open one with {choices})", line)
            opened_name, opened_line = self.fence
            if opened_name == "tip":
                if not self.tip_paras and not self.tip_items:
                    raise self.error(f"the '::: tip' block opened on line {opened_line} is empty", line)
                self.blocks.append(Block("tip", text="\n\n".join(self.tip_paras), items=tuple(self.tip_items)))
                self.tip_paras, self.tip_items = [], []
            elif len(self.blocks) == self.fence_start:
                raise self.error(f"the '::: {opened_name}' block opened on line {opened_line} is empty", line)
            self.fence = None
            return
        name_lc = name.lower()
        if name_lc not in _FENCE_NAMES:
            raise self.error(f"unknown block '::: {name}'; use {choices}, and ':::' to close", line)
        if self.fence is not None:
            opened_name, opened_line = self.fence
            raise self.error(
                f"'::: {name_lc}' starts inside the '::: {opened_name}' block opened on line "
                f"{opened_line}; blocks cannot be nested, close that one with ':::' first",
                line,
            )
        self.fence = (name_lc, line)
        self.fence_start = len(self.blocks)

    def finish(self) -> None:
        self.flush()
        if self.fence is not None:
            name, opened = self.fence
            raise self.error(
                f"the '::: {name}' block opened here is never closed; add a line ':::' after its text",
                opened,
            )
        if not self.blocks:
            raise self.error("the chapter has a title but no text below it", 1)


def _split_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _parse_title(lines: list[str], source: str | Path) -> str:
    first = lines[0].strip() if lines else ""
    if not first.startswith("# ") or not first[2:].strip():
        raise GuideFormatError("the first line must be the title, written as '# Title'", source, 1)
    title = first[2:].strip()
    if "**" in title or "{" in title or "}" in title:
        raise GuideFormatError("the title must be plain text", source, 1)
    return title


def parse_chapter_text(
    text: str,
    source: str | Path = "<text>",
    allowed_placeholders: Iterable[str] = (),
) -> tuple[str, tuple[Block, ...]]:
    """Parse one chapter written in the guide's Markdown subset: (title, blocks).

    Raises GuideFormatError, naming ``source`` and the line, for anything outside the
    format (an unknown or unclosed ``:::`` block, a misplaced heading, ...).
    """
    lines = _split_lines(text)
    title = _parse_title(lines, source)
    builder = _Builder(source, frozenset(allowed_placeholders))
    for number, raw in enumerate(lines[1:], start=2):
        builder.feed(raw, number)
    builder.finish()
    return title, tuple(builder.blocks)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GuideFormatError("the file is not UTF-8 text; save it as UTF-8", path) from exc
    except FileNotFoundError as exc:
        raise GuideFormatError("the file is missing", path) from exc


def parse_chapter_file(path: str | Path, allowed_placeholders: Iterable[str] = ()) -> tuple[str, tuple[Block, ...]]:
    path = Path(path)
    return parse_chapter_text(_read_text(path), path, allowed_placeholders)


# --------------------------------------------------------------------------- loading


def normalize_language(lang: str) -> str:
    """'fi', 'FI', 'fi-FI' and 'sv_FI' are accepted; anything else raises ValueError."""
    code = str(lang or "").strip().replace("_", "-").split("-")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"unsupported guide language {lang!r}; supported languages: {', '.join(LANGUAGES)}")
    return code


def _check_kind(kind: str) -> str:
    if kind not in GUIDE_KINDS:
        raise ValueError(f"unknown guide {kind!r}; use one of: {', '.join(GUIDE_KINDS)}")
    return kind


def _load_meta(lang: str) -> dict:
    path = GUIDES_DIR / lang / "meta.json"
    try:
        meta = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise GuideFormatError(f"not valid JSON: {exc.msg}", path, exc.lineno) from exc
    if not isinstance(meta, dict):
        raise GuideFormatError("must be a JSON object", path)
    for kind in GUIDE_KINDS:
        part = meta.get(kind)
        if not isinstance(part, dict):
            raise GuideFormatError(f"missing the {kind!r} object with 'title' and 'subtitle'", path)
        for key in ("title", "subtitle"):
            if not isinstance(part.get(key), str) or not part[key].strip():
                raise GuideFormatError(f"missing text for {kind}.{key}", path)
    labels = meta.get("labels")
    if not isinstance(labels, dict):
        raise GuideFormatError("missing the 'labels' object", path)
    missing = [key for key in REQUIRED_LABELS if not isinstance(labels.get(key), str) or not labels[key].strip()]
    if missing:
        raise GuideFormatError(f"labels without text: {', '.join(missing)}", path)
    extra = sorted(set(labels) - set(REQUIRED_LABELS))
    if extra:
        raise GuideFormatError(
            f"unknown labels: {', '.join(extra)} (new labels must be added to REQUIRED_LABELS "
            "in pdf_templates/guide_content.py)",
            path,
        )
    return meta


def _chapter_files(lang: str, kind: str) -> list[tuple[int, str, Path]]:
    folder = GUIDES_DIR / lang / kind
    if not folder.is_dir():
        raise GuideFormatError("the folder is missing", folder)
    found: list[tuple[int, str, Path]] = []
    numbers: dict[int, Path] = {}
    keys: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix != ".md" or not path.is_file():
            continue  # editor backups, .DS_Store and the like
        match = _CHAPTER_FILE_RE.match(path.name)
        if not match:
            raise GuideFormatError(
                "a chapter file name must be two digits, a hyphen and a lower-case name, e.g. '10-search.md'",
                path,
            )
        number, key = int(match.group("number")), match.group("key")
        if number in numbers:
            raise GuideFormatError(f"the number {number:02d} is also used by {numbers[number].name}", path)
        if key in keys:
            raise GuideFormatError(f"the name {key!r} is also used by {keys[key].name}", path)
        numbers[number], keys[key] = path, path
        found.append((number, key, path))
    if not found:
        raise GuideFormatError("no chapter files (NN-name.md) in the folder", folder)
    return found


@cache
def _glossary(lang: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    path = GUIDES_DIR / lang / "glossary.md"
    lines = _split_lines(_read_text(path))
    title = _parse_title(lines, path)
    entries: list[list] = []  # [term, explanation, line]
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        stripped = raw.strip()
        if not stripped:
            continue
        if "{" in stripped or "}" in stripped or "**" in stripped:
            raise GuideFormatError("write glossary entries as plain text", path, number)
        if stripped.startswith("- "):
            term, sep, explanation = stripped[2:].partition(": ")
            if not sep or not term.strip() or not explanation.strip():
                raise GuideFormatError("write a glossary entry as '- Word: explanation'", path, number)
            key = term.strip().casefold()
            if key in seen:
                raise GuideFormatError(f"{term.strip()!r} is already explained on line {seen[key]}", path, number)
            seen[key] = number
            entries.append([term.strip(), explanation.strip(), number])
        elif entries and raw[:1] in (" ", "\t"):
            entries[-1][1] = f"{entries[-1][1]} {stripped}"
        else:
            raise GuideFormatError(
                "each glossary entry starts with '- ' and reads '- Word: explanation' "
                "(indent a line to continue the explanation)",
                path,
                number,
            )
    if not entries:
        raise GuideFormatError("the glossary has no entries", path)
    return title, tuple((term, explanation) for term, explanation, _ in entries)


def load_glossary(lang: str) -> tuple[tuple[str, str], ...]:
    """The glossary of one language: (term, explanation) pairs in file order."""
    return _glossary(normalize_language(lang))[1]


@cache
def _volunteer_card(lang: str) -> tuple[str, str, tuple[Block, ...]]:
    path = GUIDES_DIR / lang / "volunteer_card.md"
    text = _read_text(path)
    title, blocks = parse_chapter_text(text, path, VOLUNTEER_CARD_PLACEHOLDERS)
    used = set(_PLACEHOLDER_RE.findall(text))
    missing = [p for p in VOLUNTEER_CARD_PLACEHOLDERS if p not in used]
    if missing:
        raise GuideFormatError("the card must show " + ", ".join(f"{{{p}}}" for p in missing), path)
    clean = "\n".join(line.rstrip() for line in _split_lines(text)).strip() + "\n"
    return clean, title, blocks


def _card_values(values: Mapping[str, object]) -> dict[str, str]:
    unknown = sorted(set(values) - set(VOLUNTEER_CARD_PLACEHOLDERS))
    missing = [p for p in VOLUNTEER_CARD_PLACEHOLDERS if p not in values]
    if unknown or missing:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unknown:
            problems.append("unknown " + ", ".join(unknown))
        raise ValueError(
            "volunteer card values: " + "; ".join(problems) + f" (expected: {', '.join(VOLUNTEER_CARD_PLACEHOLDERS)})"
        )
    return {key: str(value) for key, value in values.items()}


def volunteer_card_text(lang: str, **values: object) -> str:
    """The digital friend's card as written in ``<lang>/volunteer_card.md``.

    Without arguments the placeholders {volunteer_name}, {organisation},
    {cohort_name} and {place} are left in; with all four given as keyword arguments
    they are filled in. The text is in the guides' Markdown subset (see README.md).
    """
    text = _volunteer_card(normalize_language(lang))[0]
    if not values:
        return text
    return text.format_map(_card_values(values))


def volunteer_card(lang: str, **values: object) -> Chapter:
    """The digital friend's card parsed into blocks, optionally with values filled in.

    Its ``tip`` block holds the rule every senior should know, for the layout to stress.
    """
    _, title, blocks = _volunteer_card(normalize_language(lang))
    if values:
        filled = _card_values(values)
        blocks = tuple(
            replace(b, text=b.text.format_map(filled), items=tuple(i.format_map(filled) for i in b.items))
            for b in blocks
        )
    return Chapter(key="volunteer_card", skill_code=None, title=title, blocks=blocks)


@cache
def _load_guide(kind: str, lang: str) -> Guide:
    meta = _load_meta(lang)
    chapters = []
    for number, key, path in _chapter_files(lang, kind):
        title, blocks = parse_chapter_file(path)
        skill = key if kind == "beginner" and number in SKILL_NUMBERS else None
        chapters.append(Chapter(key=key, skill_code=skill, title=title, blocks=blocks, number=number))
    glossary_title, glossary = _glossary(lang)
    card_title = _volunteer_card(lang)[1]
    labels = dict(meta["labels"])
    labels["glossary"] = glossary_title
    labels["volunteer_card"] = card_title
    return Guide(
        lang=lang,
        kind=kind,
        title=meta[kind]["title"].strip(),
        subtitle=meta[kind]["subtitle"].strip(),
        chapters=tuple(chapters),
        labels=MappingProxyType(labels),
        glossary=glossary,
    )


def load_guide(kind: str, lang: str = DEFAULT_LANGUAGE) -> Guide:
    """The beginner's or trainer's guide in one language (read once, then cached).

    Raises ValueError for an unknown kind or language, GuideFormatError (a ValueError)
    naming the file and line when a guide file breaks the format.
    """
    return _load_guide(_check_kind(kind), normalize_language(lang))


# --------------------------------------------------------------------------- checks

MIN_GLOSSARY_ENTRIES = 20


def check_guides() -> list[str]:
    """Every problem found in the guide files; an empty list means all is well.

    Beyond the file format this checks that all languages have the same chapters,
    pictures and labels, that the beginner's guide has skill chapters, each with numbered steps
    for both Android and iPad and a "Good to know" tip, and that the glossary has at least 20
    words. That the skill chapters are the instrument's skills, the tests check (test_guide_content.py).
    """
    problems: list[str] = []
    reference: dict[str, list[str]] = {}
    pictures: dict[tuple[str, str], list[str]] = {}  # (kind, chapter) -> markers in the first language
    for lang in LANGUAGES:
        for kind in GUIDE_KINDS:
            try:
                guide = _load_guide(kind, lang)
            except GuideFormatError as exc:
                problems.append(str(exc))
                continue
            keys = [c.key for c in guide.chapters]
            if kind not in reference:
                reference[kind] = keys
            elif keys != reference[kind]:
                problems.append(f"{lang}/{kind}: chapters {keys} differ from {LANGUAGES[0]}/{kind}: {reference[kind]}")
            for chapter in guide.chapters:
                markers = [p.marker for p in chapter.pictures]
                first = pictures.setdefault((kind, chapter.key), markers)
                if markers != first:
                    problems.append(
                        f"{lang}/{kind}/{chapter.number:02d}-{chapter.key}.md: pictures {' '.join(markers) or 'none'} "
                        f"differ from {LANGUAGES[0]}: {' '.join(first) or 'none'}"
                    )
            if kind == "beginner":
                if not guide.skill_chapters:
                    problems.append(
                        f"{lang}/beginner: no skill chapters (numbered {SKILL_NUMBERS[0]}-{SKILL_NUMBERS[-1]})"
                    )
                for chapter in guide.skill_chapters:
                    where = f"{lang}/beginner/{chapter.number:02d}-{chapter.key}.md"
                    for os in OS_NAMES:
                        if not chapter.steps_for(os):
                            problems.append(f"{where}: no numbered steps inside '::: {os}'")
                    if not chapter.tips:
                        problems.append(f"{where}: no '::: tip' block")
        try:
            glossary = load_glossary(lang)
            if len(glossary) < MIN_GLOSSARY_ENTRIES:
                problems.append(f"{lang}/glossary.md: {len(glossary)} words, at least {MIN_GLOSSARY_ENTRIES} wanted")
        except GuideFormatError as exc:
            problems.append(str(exc))
        try:
            volunteer_card_text(lang)
        except GuideFormatError as exc:
            problems.append(str(exc))
    return list(dict.fromkeys(problems))


def main(argv: list[str] | None = None) -> int:
    problems = check_guides()
    if problems:
        print(f"{len(problems)} problem(s) in pdf_templates/guides:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("All guide files are fine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
