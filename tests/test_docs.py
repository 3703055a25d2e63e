"""The docs stay true to the tree (Datasette's tests/test_docs.py is the model).

* every file or directory path in backticks in README.md and docs/*.md exists, and every relative
  Markdown link points at a file;
* every dotted ``server.…``/``sync.…`` name in backticks is an importable module or attribute, or an
  error code of ``sync.errors.CATALOGUE`` (``sync.cursor_expired``);
* every ``fangtan …`` command line in README.md (and in backticks in the docs) names subcommands and
  options that exist in the click command tree of ``server.cli.main``.
"""

from __future__ import annotations

import glob
import importlib
import re
import shlex
from pathlib import Path

import click
import pytest

from server.cli import main
from sync.errors import CATALOGUE

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TOP_DIRS = ("server/", "sync/", "pwa/", "tests/", "docs/", "bench/")
ROOT_FILES = {"Makefile", "Dockerfile", "pyproject.toml", "README.md"}
FILE_SUFFIX = r"\.(?:py|ts|vue|mjs|js|md|json|toml|html|css|txt|sql|ya?ml)"
# docs/pwa.md writes PWA paths relative to pwa/ (``tests/session.test.ts``) or pwa/src/ (``store/atrest.ts``).
ROOTS = (REPO, REPO / "pwa", REPO / "pwa" / "src")
SKIP_DIRS = {"node_modules", ".venv", "dist", "__pycache__", ".git", "data"}

NOT_IN_THE_TREE = {
    "pwa/dist": "the PWA build output (npm run build)",
    "pwa/dist/index.html": "the PWA build output (npm run build)",
    "server/static": "where the wheel carries the PWA build (tools/build_wheel.py)",
    "sw.js": "the service worker built from pwa/src/sw.ts",
    "record.json": "a member of an archive bundle, not a repository file",
    "manifest.json": "a member of an archive bundle or a remarks export, not a repository file",
    "../shared/DESIGN.md": "the team's design document, next to the repository",
}


def _files_by_name() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in REPO.rglob("*"):
        if SKIP_DIRS.isdisjoint(path.relative_to(REPO).parts) and path.is_file():
            found.setdefault(path.name, []).append(path)
    return found


FILES_BY_NAME = _files_by_name()


def _backticked(doc: Path) -> list[tuple[int, str]]:
    spans = []
    in_fence = False
    for lineno, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if not in_fence:
            spans += [(lineno, m.group(1).strip()) for m in re.finditer(r"`([^`]+)`", line)]
    return spans


def _path_candidates(span: str) -> list[str]:
    """Words of a backticked span that name a file or directory of this repository."""
    out = []
    for word in span.split():
        word = word.strip("(),;")
        if "://" in word or word.startswith(("/", "-", "$")) or "=" in word:
            continue  # URLs, API routes, options, shell variables and assignments
        word = re.split(r"::|:(?=[A-Za-z_])|#", word)[0]  # path:function, path::test, path#anchor
        if word.startswith(TOP_DIRS) or word in ROOT_FILES or word in NOT_IN_THE_TREE:
            out.append(word)
        elif re.fullmatch(rf"[\w.\-/]+{FILE_SUFFIX}", word) and not word.startswith(("fangtan.", "sync.", "server.")):
            out.append(word)  # a bare file name, or a path relative to pwa/ or pwa/src/
    return out


def _exists(word: str) -> bool:
    if word in NOT_IN_THE_TREE:
        return True
    word = re.split(r"\.\.\.|…", word)[0]  # ``pwa/src/...``: the part before the ellipsis must exist
    if "/" not in word.rstrip("/"):
        return bool(FILES_BY_NAME.get(word)) or any((root / word).exists() for root in ROOTS)
    if any(c in word for c in "*?[{"):
        pattern = re.sub(r"\{[^}]*\}", "*", word)
        return any(glob.glob(str(root / pattern)) for root in ROOTS)
    return any((root / word).exists() for root in ROOTS)


def _paths() -> list[tuple[str, str]]:
    return [(f"{doc.name}:{lineno}", word) for doc in DOCS for lineno, span in _backticked(doc)
            if not re.match(r"(\S*/)?fangtan ", span)  # a command's arguments are the user's files
            for word in _path_candidates(span)]


def test_the_doc_scan_finds_what_it_checks() -> None:
    """Guards the scanner itself: it must see the paths we know the docs name."""
    words = {w for _, w in _paths()}
    assert {"server/store.py", "sync/errors.py", "tests/builders.py", "tests/test_docs.py"} <= words, sorted(words)[:20]
    assert len(words) > 50
    assert not _exists("server/no_such_module.py") and not _exists("no_such_file.ts")


def test_every_path_named_in_the_docs_exists() -> None:
    missing = [f"{where}: `{word}`" for where, word in _paths() if not _exists(word)]
    assert missing == [], "paths named in the docs that are not in the tree:\n" + "\n".join(missing)


def test_every_relative_link_in_the_docs_points_at_a_file() -> None:
    broken = []
    for doc in DOCS:
        for m in re.finditer(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            target = m.group(1)
            if "://" not in target and not target.startswith("mailto:") and not (doc.parent / target).exists():
                broken.append(f"{doc.name}: ({target})")
    assert broken == []


def _resolves(dotted: str) -> bool:
    if dotted in CATALOGUE:
        return True
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_every_dotted_module_or_error_code_named_in_the_docs_exists() -> None:
    names = [(f"{doc.name}:{lineno}", m.group(1)) for doc in DOCS for lineno, span in _backticked(doc)
             for m in [re.fullmatch(r"((?:server|sync)(?:\.\w+)+)(?:\(\))?", span)] if m]
    assert len(names) > 10
    unknown = [f"{where}: `{name}`" for where, name in names if not _resolves(name)]
    assert unknown == []


def _command_lines() -> list[tuple[str, str]]:
    """``fangtan …`` lines: README's shell blocks, and backticked spans of every doc."""
    lines = []
    for doc in DOCS:
        if doc.name == "README.md":
            in_fence = False
            for lineno, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("```"):
                    in_fence = not in_fence
                elif in_fence and re.match(r"\s*(\S*/)?fangtan ", line):
                    lines.append((f"{doc.name}:{lineno}", line))
        lines += [(f"{doc.name}:{lineno}", span) for lineno, span in _backticked(doc)
                  if re.match(r"(\S*/)?fangtan [a-z]", span)]
    return lines


def _check_command(segment: str) -> str | None:
    words = shlex.split(segment.split("#")[0].replace("[", " ").replace("]", " "))
    words = words[1:]  # the program itself
    command: click.Command = main
    path = ["fangtan"]
    while isinstance(command, click.Group) and words and re.fullmatch(r"[a-z][a-z-]*", words[0]):
        sub = command.commands.get(words[0])
        if sub is None:
            return f"`{' '.join(path)}` has no subcommand `{words[0]}`"
        command, path = sub, [*path, words.pop(0)]
    known = {opt for p in command.params if isinstance(p, click.Option) for opt in (*p.opts, *p.secondary_opts)}
    known |= {"--help", "-h"}
    unknown = [w.split("=")[0] for w in words if w.startswith("--") and w.split("=")[0] not in known]
    if unknown:
        return f"`{' '.join(path)}` has no option {', '.join(unknown)}"
    return None


def test_every_fangtan_command_in_the_readme_exists_in_the_cli() -> None:
    lines = _command_lines()
    assert sum(where.startswith("README.md") for where, _ in lines) >= 10
    problems = []
    for where, line in lines:
        for segment in re.split(r"\|\s*(?=(?:\S*/)?fangtan )", line):
            problem = _check_command(segment.strip())
            if problem:
                problems.append(f"{where}: {problem}  ({segment.strip()})")
    assert problems == []


@pytest.mark.parametrize(("line", "problem"), [
    ("fangtan serve --port 8000", None),
    ("fangtan user add U --name N", None),
    ("fangtan frobnicate", "`fangtan` has no subcommand `frobnicate`"),
    ("fangtan user rename U", "`fangtan user` has no subcommand `rename`"),
    ("fangtan backup PATH --gzip", "`fangtan backup` has no option --gzip"),
])
def test_the_command_check_tells_real_commands_from_made_up_ones(line: str, problem: str | None) -> None:
    assert _check_command(line) == problem
