"""Backup and restore of the whole system: the PostgreSQL database (pg_dump, custom format)
and the private files, in one tar archive with a manifest.

The database is dumped first and the files second: uploads get new, random names and are never
changed in place, so the files copied a moment later hold every file the dump refers to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "private-media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def database_settings() -> dict[str, Any]:
    settings_dict = connections["default"].settings_dict
    if "postgresql" not in settings_dict["ENGINE"]:
        raise BackupError(
            "backup and restore need PostgreSQL; a SQLite file is saved by copying it while the "
            "portal is stopped"
        )
    return settings_dict


def _libpq_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore by environment: a password never appears on
    a command line (visible to every user of the machine in the process list)."""
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_create(*, output: Path, media_root: Path) -> dict:
    """Writes the archive to ``output`` (via a temporary name, so a broken run leaves no
    half archive under the real name) and returns its manifest."""
    settings_dict = database_settings()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as scratch:
        dump = Path(scratch) / DUMP
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}"],
            _libpq_env(settings_dict),
        )
        files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
        last_migration = MigrationRecorder.Migration.objects.order_by("-applied", "-id").first()
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": settings_dict["NAME"],
            "database_sha256": _sha256(dump),
            "files": len(files),
            "file_bytes": sum(p.stat().st_size for p in files),
            "last_migration": f"{last_migration.app}.{last_migration.name}"
            if last_migration
            else None,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP)
            if media_root.exists():
                archive.add(media_root, arcname=MEDIA)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            with tempfile.TemporaryFile() as buffer:
                buffer.write(data)
                buffer.seek(0)
                archive.addfile(info, buffer)
        partial.replace(output)
    return manifest


def backup_restore(*, archive_path: Path, media_root: Path) -> dict:
    """Restores an archive into an empty database and an empty private-files folder (refuses
    otherwise, so a restore never mixes two systems); returns the archive's manifest."""
    settings_dict = database_settings()
    env = _libpq_env(settings_dict)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty")
    with tarfile.open(archive_path) as archive, tempfile.TemporaryDirectory() as scratch:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(scratch, filter="data")
        manifest = json.loads((Path(scratch) / MANIFEST).read_text())
        dump = Path(scratch) / DUMP
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("the database dump does not match its checksum")
        tables = subprocess.run(
            ["psql", "--no-psqlrc", "--tuples-only", "--command",
             "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if tables.returncode != 0:
            raise BackupError(f"psql failed: {tables.stderr.strip()}")
        if int(tables.stdout.strip() or 0):
            raise BackupError(f"database {settings_dict['NAME']} is not empty")
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(dump),
            ],
            env,
        )
        source = Path(scratch) / MEDIA
        if source.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            for path in sorted(source.rglob("*")):
                target = media_root / path.relative_to(source)
                if path.is_dir():
                    target.mkdir(exist_ok=True)
                else:
                    path.replace(target)
    return manifest
