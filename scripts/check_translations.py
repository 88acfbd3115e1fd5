"""Check that the Polish catalogs cover every string of the ``kis`` package.

The main catalog is ``kis/locale``; an app may keep its own (``kis/<app>/locale``): makemessages
sends each file's strings to the nearest ``locale`` directory above it, and every catalog is
checked the same way.

Run from anywhere (CI: ``uv run python scripts/check_translations.py``). Exit 0 with a one-line
summary when the catalog is complete; exit 1 listing the offending msgids otherwise.

What it does, without touching the committed files:

1. copies ``kis/`` into a temporary directory and runs ``makemessages -l pl`` there (same options
   as the documented refresh command), so only strings of the ``kis/`` tree count, never those of
   Django, allauth or other installed packages;
2. fails if a msgid of the code or templates is missing from ``kis/locale/pl/LC_MESSAGES/django.po``,
   or if the catalog has an untranslated (empty ``msgstr``) or fuzzy entry, a plural entry without
   the three Polish forms, a wrong ``Plural-Forms`` header, or a placeholder that differs from the
   msgid's;
3. compiles the catalog with ``msgfmt --check`` and fails if it is invalid or if the committed
   ``django.mo`` does not hold the same translations (a stale ``.mo`` shows old text in a fresh clone).

Refresh the catalog (then translate the new entries and compile)::

    cd kis && KIS_DEBUG=1 ../.venv/bin/kis makemessages -l pl --no-location --no-obsolete
    cd kis && KIS_DEBUG=1 ../.venv/bin/kis compilemessages -l pl

Run both from ``kis/``: from the repository root ``compilemessages`` would also recompile the
catalogs of every package in ``.venv``.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kis"
LOCALE = "pl"
MAKEMESSAGES_OPTIONS = ["-l", LOCALE, "--no-location", "--no-obsolete", "--keep-pot"]
MAKEMESSAGES = "cd kis && KIS_DEBUG=1 ../.venv/bin/kis makemessages -l pl --no-location --no-obsolete"
COMPILEMESSAGES = "cd kis && KIS_DEBUG=1 ../.venv/bin/kis compilemessages -l pl"
PLURAL_FORMS = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
NPLURALS = 3
# %(name)s style placeholders, as used by gettext(...) % {...} and by {% blocktranslate %}.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        text = repr(self.msgid)
        if self.msgid_plural is not None:
            text += f" / plural {self.msgid_plural!r}"
        if self.msgctxt is not None:
            text += f" (context {self.msgctxt!r})"
        return text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Parse a PO/POT file as written by GNU gettext (enough for makemessages output)."""
    entries: list[Entry] = []
    current = Entry()
    started = False
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def flush() -> None:
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if started and target is not None and target[0] == "msgstr":
                flush()  # a comment after msgstr starts the next entry
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line outside an entry")
            text = _unquote(line, where)
            name, index = target
            if name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + text
            elif name == "msgid":
                current.msgid += text
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                current.msgstr[index] += text
            continue
        if keyword in ("msgctxt", "msgid") and started and target is not None and target[0] == "msgstr":
            flush()
        started = True
        current.obsolete = current.obsolete or obsolete
        text = _unquote(rest, where)
        if keyword == "msgctxt":
            current.msgctxt, target = text, ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid, target = text, ("msgid", 0)
        elif keyword == "msgid_plural":
            current.msgid_plural, target = text, ("msgid_plural", 0)
        elif keyword == "msgstr":
            current.msgstr[0], target = text, ("msgstr", 0)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            index = int(m.group(1))
            current.msgstr[index], target = text, ("msgstr", index)
        else:
            raise ValueError(f"{where}: cannot parse {raw!r}")
    flush()
    return entries


def header_fields(entry: Entry) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in entry.msgstr.get(0, "").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def catalog_dirs() -> list[Path]:
    """The main locale directory and those of apps that keep their own catalog."""
    return [PACKAGE / "locale", *sorted(p.parent for p in PACKAGE.glob("*/locale/" + LOCALE))]


def extract_templates(workdir: Path) -> dict[Path, Path]:
    """Run makemessages on a copy of kis/; map each locale directory of kis/ to its fresh django.pot."""
    copy = workdir / "kis"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    # Settings of the copy, with LOCALE_PATHS pointing into the copy: nothing is written under ROOT.
    (workdir / "check_translations_settings.py").write_text(
        f"from kis.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["KIS_DEBUG"] = "1"  # development settings: no secrets needed to run makemessages
    env["DJANGO_SETTINGS_MODULE"] = "check_translations_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(workdir), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", *MAKEMESSAGES_OPTIONS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("makemessages failed (see above)")
    pots: dict[Path, Path] = {}
    for locale_dir in catalog_dirs():
        pot = copy / locale_dir.relative_to(PACKAGE) / "django.pot"
        if not pot.exists():
            raise SystemExit(f"makemessages produced no {pot}:\n{result.stdout}{result.stderr}")
        pots[locale_dir] = pot
    return pots


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def check_entries(entries: list[Entry]) -> list[str]:
    problems: list[str] = []
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    if len(headers) != 1:
        problems.append('the catalog must have exactly one header entry (msgid "")')
    else:
        header = headers[0]
        if "fuzzy" in header.flags:
            problems.append("the header entry is marked fuzzy (msgfmt would drop it): remove '#, fuzzy'")
        fields = header_fields(header)
        if fields.get("Plural-Forms", "").replace(" ", "") != PLURAL_FORMS.replace(" ", ""):
            problems.append(f"header Plural-Forms is {fields.get('Plural-Forms')!r}, expected {PLURAL_FORMS!r}")
        if fields.get("Language") != LOCALE:
            problems.append(f"header Language is {fields.get('Language')!r}, expected {LOCALE!r}")
    for entry in entries:
        if entry.obsolete or entry.msgid == "":
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label()}")
        if entry.msgid_plural is None:
            if not entry.msgstr.get(0):
                problems.append(f"untranslated: {entry.label()}")
                continue
            forms = [entry.msgstr[0]]
            expected = placeholders(entry.msgid)
            if placeholders(entry.msgstr[0]) != expected:
                problems.append(
                    f"placeholders differ: {entry.label()} has {sorted(expected)}, "
                    f"translation has {sorted(placeholders(entry.msgstr[0]))}"
                )
        else:
            if sorted(entry.msgstr) != list(range(NPLURALS)) or not all(entry.msgstr.values()):
                problems.append(f"untranslated or incomplete plural (needs msgstr[0], [1], [2]): {entry.label()}")
                continue
            forms = list(entry.msgstr.values())
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            for index, text in entry.msgstr.items():
                extra = placeholders(text) - allowed
                # Forms [1] and [2] serve many numbers: they must keep every placeholder.
                lost = (allowed - placeholders(text)) if index > 0 else set()
                if extra or lost:
                    problems.append(
                        f"placeholders differ in msgstr[{index}]: {entry.label()} "
                        f"(unknown {sorted(extra)}, missing {sorted(lost)})"
                    )
        for text in forms:
            if text.endswith("\n") != entry.msgid.endswith("\n"):
                problems.append(f"trailing newline differs: {entry.label()}")
                break
    return problems


def compile_and_compare(workdir: Path, po_path: Path) -> list[str]:
    problems: list[str] = []
    mo_path = po_path.with_suffix(".mo")
    compiled = workdir / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        problems.append("msgfmt --check failed:\n" + (result.stderr or result.stdout).strip())
        return problems
    if not mo_path.exists():
        problems.append(f"{mo_path.relative_to(ROOT)} is missing: run `{COMPILEMESSAGES}`")
        return problems
    with compiled.open("rb") as fresh, mo_path.open("rb") as committed:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        committed_catalog = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    if fresh_catalog != committed_catalog:
        differing = sorted(
            repr(key) if key else "the header"
            for key in set(fresh_catalog) | set(committed_catalog)
            if fresh_catalog.get(key) != committed_catalog.get(key)
        )
        problems.append(
            f"{mo_path.relative_to(ROOT)} is stale ({len(differing)} messages differ from django.po, e.g. "
            f"{', '.join(differing[:5])}): run `{COMPILEMESSAGES}`"
        )
    return problems


def check_catalog(workdir: Path, po_path: Path, pot: Path) -> tuple[list[str], int, int, int, int]:
    """Problems of one catalog, and its counts: entries, plural entries, msgids of the code, stale entries."""
    if not po_path.exists():
        return [f"{po_path.relative_to(ROOT)} is missing"], 0, 0, 0, 0
    before = po_path.read_bytes()
    source_keys = {e.key for e in parse_po(pot) if e.msgid and not e.obsolete}
    catalog = parse_po(po_path)
    catalog_keys = {e.key for e in catalog if e.msgid and not e.obsolete}
    problems = [
        "missing: " + Entry(msgctxt=c, msgid=m, msgid_plural=p).label()
        for c, m, p in sorted(source_keys - catalog_keys, key=lambda k: (k[1], k[0] or "", k[2] or ""))
    ]
    problems += check_entries(catalog)
    problems += compile_and_compare(workdir, po_path)
    if po_path.read_bytes() != before:  # belt and braces: the check must never edit the catalog
        po_path.write_bytes(before)
        problems.append("internal error: the committed django.po was modified during the check (restored)")
    plural = sum(1 for e in catalog if e.msgid and not e.obsolete and e.msgid_plural is not None)
    return problems, len(catalog_keys), plural, len(source_keys), len(catalog_keys - source_keys)


def main() -> int:
    if shutil.which("msgfmt") is None or shutil.which("xgettext") is None:
        print("GNU gettext tools (msgfmt, xgettext) are required: apt-get install gettext", file=sys.stderr)
        return 1
    failed = False
    with tempfile.TemporaryDirectory(prefix="kis-i18n-") as tmp:
        workdir = Path(tmp)
        for locale_dir, pot in extract_templates(workdir).items():
            po_path = locale_dir / LOCALE / "LC_MESSAGES" / "django.po"
            problems, entries, plural, msgids, stale = check_catalog(workdir, po_path, pot)
            name = po_path.relative_to(ROOT)
            if problems:
                failed = True
                print(f"Translation check FAILED ({len(problems)} problems) for {name}:", file=sys.stderr)
                for problem in problems:
                    print(f"  - {problem}", file=sys.stderr)
                continue
            note = f"; {stale} entries no longer used in the code (drop them with makemessages)" if stale else ""
            print(
                f"translations OK: {name}: {entries} Polish entries ({plural} plural) cover all {msgids} "
                f"msgids, none fuzzy or empty, django.mo compiled and up to date{note}"
            )
    if failed:
        print(f"Refresh with `{MAKEMESSAGES}`, translate, then `{COMPILEMESSAGES}`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
