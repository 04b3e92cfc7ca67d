"""Restores an archive of ``manage.py backup`` into an empty database and files folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restores database and private files from an archive of `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            manifest = backup_restore(archive_path=archive, media_root=settings.PRIVATE_MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored backup of {manifest['created_at']} ({manifest['files']} files); "
            "now run `manage.py migrate` if this release is newer than the backup"
        )
