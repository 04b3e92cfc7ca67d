"""Screenshots of the browser tests: into docs/screenshots/ only when asked (`make
screenshots`), so that an ordinary test run leaves the working tree as it was."""

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def take(page: Page, name: str) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = DOCS
    else:
        folder = Path(tempfile.gettempdir()) / "foerderportal-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
