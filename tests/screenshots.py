"""Screenshots of the browser tests: into docs/screenshots/ only when asked (`make
screenshots`), so that an ordinary test run leaves the working tree as it was."""

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Locator, Page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def take(page: Page, name: str, locator: Locator | None = None) -> Path:
    """The whole page, or only ``locator`` (a section of a long page)."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = DOCS
    else:
        folder = Path(tempfile.gettempdir()) / "foerderportal-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if locator is not None:
        locator.first.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)
    return path
