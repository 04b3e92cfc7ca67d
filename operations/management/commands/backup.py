"""Backs up the database and the private files into one archive (docs/operations.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Writes database (pg_dump) and private files into one tar archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: BACKUP_DIR/foerderportal-<time>.tar).",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        output = output or Path(settings.BACKUP_DIR) / (
            f"foerderportal-{timezone.now():%Y%m%d-%H%M%S}.tar"
        )
        try:
            manifest = backup_create(output=output, media_root=settings.PRIVATE_MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{output}\n{json.dumps(manifest, indent=2)}")
