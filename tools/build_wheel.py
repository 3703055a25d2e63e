"""Build the fangtan wheel with the built PWA inside it (docs/deploy.md §7, issue 14.6).

The PWA is built by ``npm run build`` into ``pwa/dist``; the wheel carries it as ``server/static``
(package data), which an installed ``fangtan serve`` serves by default. The sources are staged in a
temporary copy so the checkout never holds a stale ``server/static``.

    python tools/build_wheel.py [--pwa-dist pwa/dist] [--out dist]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "server", "sync")


def build_wheel(out: Path, pwa_dist: Path = ROOT / "pwa" / "dist") -> tuple[Path, str]:
    """Returns the wheel's path and the build's combined output (checked for warnings by the test)."""
    if not (pwa_dist / "index.html").is_file():
        raise SystemExit(f"{pwa_dist}/index.html missing: build the PWA first (cd pwa && npm run build)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fangtan-wheel-") as tmp:
        stage = Path(tmp) / "src"
        stage.mkdir()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "static")
        for name in SOURCES:
            source = ROOT / name
            if source.is_dir():
                # "static" is skipped everywhere, so copy server/evaluation/static back explicitly.
                shutil.copytree(source, stage / name, ignore=ignore)
            else:
                shutil.copy2(source, stage / name)
        shutil.copytree(ROOT / "server" / "evaluation" / "static", stage / "server" / "evaluation" / "static")
        shutil.copytree(pwa_dist, stage / "server" / "static")
        before = set(out.glob("fangtan-*.whl"))
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-cache-dir", "-w", str(out), str(stage)],
            capture_output=True, text=True,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0:
            raise SystemExit(f"wheel build failed:\n{output}")
    wheels = sorted(set(out.glob("fangtan-*.whl")) - before) or sorted(out.glob("fangtan-*.whl"))
    return wheels[-1], output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pwa-dist", type=Path, default=ROOT / "pwa" / "dist")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    wheel, _ = build_wheel(args.out, args.pwa_dist)
    print(wheel)


if __name__ == "__main__":
    main()
