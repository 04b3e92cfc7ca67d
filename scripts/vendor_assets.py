"""Copy the front-end files the pages need from node_modules/ into static/vendor/.

Run after `npm ci` (the Makefile does both). static/vendor/ is git-ignored: the versions are
pinned in package-lock.json, so the copy is reproducible and never edited by hand. axe-core is
not copied: only the browser tests use it, straight from node_modules/.
"""

import shutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"
VENDOR = BASE_DIR / "static" / "vendor"

KERN_DIST = NODE_MODULES / "@kern-ux" / "native" / "dist"

# (source, destination below static/vendor/). Directories are copied whole.
ASSETS = [
    (KERN_DIST / "kern.min.css", "kern/kern.min.css"),
    # fira-sans.css refers to its fonts as ./fira-sans/*.woff2: keep that layout.
    (KERN_DIST / "fonts" / "fira-sans.css", "kern/fonts/fira-sans.css"),
    (KERN_DIST / "fonts" / "fira-sans", "kern/fonts/fira-sans"),
    (NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js", "htmx/htmx.min.js"),
]


def main() -> int:
    missing = [str(source) for source, _ in ASSETS if not source.exists()]
    if missing:
        print(
            "Missing in node_modules (run `npm ci` first):", *missing, sep="\n  ", file=sys.stderr
        )
        return 1
    # Start from an empty folder so a file dropped from a new package version does not linger.
    shutil.rmtree(VENDOR, ignore_errors=True)
    for source, relative in ASSETS:
        target = VENDOR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.scss"))
        else:
            shutil.copy2(source, target)
    print(f"Vendored {len(ASSETS)} assets into {VENDOR.relative_to(BASE_DIR)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
