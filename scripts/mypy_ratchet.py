"""mypy over the project's packages, with a ratchet list of modules whose errors are still tolerated.

    python scripts/mypy_ratchet.py           # check (make lint): fails on any error outside the
                                             # list, and on a listed module that has become clean
    python scripts/mypy_ratchet.py --write   # rewrite the list to exactly the modules with errors

The list is the ``[[tool.mypy.overrides]]`` block with ``ignore_errors = true`` between the two
marker comments in pyproject.toml. The check runs mypy once *without* that block, so it sees every
error: those in unlisted modules fail the lint (fix them), and a listed module without errors
fails it too (take it off the list, or run ``--write``), so the list only shrinks. ``--write`` is
for the lead after merging branches that were typed in parallel (CONTRIBUTING.md), not for
hiding a new error.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYPROJECT = BASE_DIR / "pyproject.toml"
BEGIN = "# mypy ratchet: begin"
END = "# mypy ratchet: end"
BLOCK = re.compile(rf"^{re.escape(BEGIN)}.*?^{re.escape(END)}[^\n]*\n", re.M | re.S)
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ", re.M)


def module_of(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def listed_modules(text: str) -> list[str]:
    block = BLOCK.search(text)
    if block is None:
        raise SystemExit(f"{PYPROJECT.name}: no block between {BEGIN!r} and {END!r}")
    return re.findall(r'^\s*"([\w.]+)",?\s*$', block.group(0), re.M)


def render_block(modules: list[str]) -> str:
    head = f"{BEGIN} (scripts/mypy_ratchet.py; the list only shrinks, see CONTRIBUTING.md)"
    if not modules:
        return f"{head}\n{END}\n"  # every module is clean: no override at all
    names = [f'    "{name}",' for name in modules]
    return (
        "\n".join(
            [
                head,
                "[[tool.mypy.overrides]]",
                "module = [",
                *names,
                "]",
                "ignore_errors = true",
                END,
            ]
        )
        + "\n"
    )


def errors_per_module(text: str) -> tuple[Counter[str], str]:
    """Run mypy with the configuration minus the ratchet block; errors counted per module."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", dir=BASE_DIR, delete=False) as config:
        config.write(BLOCK.sub("", text))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--config-file", config.name],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        )
    finally:
        Path(config.name).unlink()
    counts = Counter(module_of(m["path"]) for m in ERROR.finditer(result.stdout))
    if result.returncode > 1 or (result.returncode == 1 and not counts):
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"mypy did not run through (exit {result.returncode})")
    return counts, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the list in pyproject.toml")
    args = parser.parse_args()

    text = PYPROJECT.read_text()
    listed = listed_modules(text)
    counts, output = errors_per_module(text)
    total = sum(counts.values())
    on_list = sum(n for module, n in counts.items() if module in listed)

    if args.write:
        modules = sorted(counts)
        PYPROJECT.write_text(BLOCK.sub(lambda _: render_block(modules), text))
        print(f"mypy: {total} errors in {len(modules)} modules; the ratchet list now names them.")
        return 0

    new = [
        line
        for line in output.splitlines()
        if (match := ERROR.match(line)) and module_of(match["path"]) not in listed
    ]
    clean = [module for module in listed if module not in counts]
    print(
        f"mypy: {total} errors, {on_list} of them in the {len(listed)} modules on the ratchet "
        f"list; {len(new)} elsewhere."
    )
    if new:
        print("\nErrors in modules that must stay clean (fix them; do not add the module):")
        print("\n".join(new))
    if clean:
        print("\nThese modules on the ratchet list have no errors any more; remove them from the")
        print("list in pyproject.toml (or run scripts/mypy_ratchet.py --write):")
        print("\n".join(f"  {module}" for module in clean))
    return 1 if new or clean else 0


if __name__ == "__main__":
    sys.exit(main())
