"""Backups with a verified restore (RET-2, SEC-4; DB4401 4.5.3, 7.2.6, 8.2).

``backup_create`` takes a consistent snapshot of the database — SQLite's online backup API, or
``pg_dump`` inside an exported snapshot on PostgreSQL — and a tar of the media files, encrypts
each with AES-GCM (the field key's HKDF sub-key, context ``backup:<file>``), and writes a
manifest: per table the row count and an order-independent checksum of its rows, per media file
its SHA-256, per backup file its SHA-256 and size. The manifest is sealed with a keyed hash.

``backup_verify`` refuses a backup whose manifest seal, file sizes or checksums do not match
(tampered or truncated), restores it into a scratch location (a temporary SQLite file or a
scratch PostgreSQL database), recomputes every table's count and checksum and every media
file's hash, and reports each difference. ``backup_apply`` verifies first, then restores into
the live database and media directory.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import DecryptionError, decrypt_bytes, encrypt_bytes, keyed_digest
from pinqiao.rights.models import DestinationKind

MANIFEST = "manifest.json"
DB_FILE = {"sqlite": "database.sqlite3.enc", "postgresql": "database.pgdump.enc"}
MEDIA_FILE = "media.tar.enc"
PREFIX = "backup-"
_MOD = 2**256


class BackupError(Exception):
    """The backup cannot be made, or a backup is damaged and was refused."""


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    media: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- table statistics ----------------------------------------------------------------------------

def _row_digest(row: Iterable[Any]) -> int:
    return int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest(), "big")


def _stats(cursor: Any, tables: list[str], quote: Any) -> dict[str, dict[str, Any]]:
    """Per table: row count and the sum of the rows' SHA-256 (mod 2^256), order-free."""
    found = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        count, total = 0, 0
        while rows := cursor.fetchmany(2000):
            for row in rows:
                count += 1
                total = (total + _row_digest(row)) % _MOD
        found[table] = {"rows": count, "checksum": f"{total:064x}"}
    return found


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_stats(path: Path) -> dict[str, dict[str, Any]]:
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return _stats(db.cursor(), tables, _sqlite_quote)
    finally:
        db.close()


def _pg_params(dbname: str | None = None) -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {"dbname": dbname or db["NAME"], "user": db.get("USER") or "postgres",
            "host": db.get("HOST") or "127.0.0.1", "port": str(db.get("PORT") or 5432),
            "password": db.get("PASSWORD") or ""}


def _pg_connect(dbname: str | None = None, **options: Any) -> Any:
    import psycopg

    params = {k: v for k, v in _pg_params(dbname).items() if v}
    return psycopg.connect(**params, options="-c timezone=UTC", **options)


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    return [r[0] for r in cursor.fetchall()]


def _pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_env() -> dict[str, str]:
    params = _pg_params()
    env = {**os.environ, "PGUSER": params["user"], "PGHOST": params["host"],
           "PGPORT": params["port"]}
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client (Debian package "
                          f"postgresql-client) to back up or restore a PostgreSQL database")
    return path


# --- media ---------------------------------------------------------------------------------------

def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_hashes(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _media_tar(root: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)))
    return buffer.getvalue()


# --- backup --------------------------------------------------------------------------------------

def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _seal(manifest: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "seal"}, sort_keys=True,
                      ensure_ascii=False)
    return keyed_digest(body, purpose="backup-manifest")


def _write(target: Path, name: str, data: bytes) -> dict[str, Any]:
    sealed = encrypt_bytes(data, context=f"backup:{name}")
    (target / name).write_bytes(sealed)
    return {"sha256": hashlib.sha256(sealed).hexdigest(), "size": len(sealed)}


def _sqlite_snapshot(workdir: Path) -> tuple[bytes, dict[str, Any]]:
    connection.ensure_connection()
    snapshot = workdir / "snapshot.sqlite3"
    destination = sqlite3.connect(snapshot)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    return snapshot.read_bytes(), _sqlite_stats(snapshot)


def _pg_snapshot() -> tuple[bytes, dict[str, Any]]:
    pg_dump = _require("pg_dump")
    with _pg_connect() as pg, pg.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        dump = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}",
             _pg_params()["dbname"]], env=_pg_env(), capture_output=True, check=False)
        if dump.returncode:
            raise BackupError(f"pg_dump failed: {dump.stderr.decode()[-500:]}")
        return dump.stdout, _stats(cursor, _pg_tables(cursor), _pg_quote)


def backup_create(*, to: Path, keep: int = 0, now: datetime | None = None) -> Path:
    """RET-2: write one encrypted backup under ``to``; keep the newest ``keep`` (0: all).
    ``to`` must be a listed backup destination (PRIV-9), else ``ServiceError``."""
    from pinqiao.rights.destinations import destination_check

    destination_check(kind=DestinationKind.BACKUP, target=str(to), what="backup")
    now = now or timezone.now()
    target = Path(to) / f"{PREFIX}{now:%Y%m%dT%H%M%S%f}"
    target.mkdir(parents=True, exist_ok=False)
    engine = _engine()
    with tempfile.TemporaryDirectory() as workdir:
        if engine == "sqlite":
            dump, tables = _sqlite_snapshot(Path(workdir))
        else:
            dump, tables = _pg_snapshot()
        media_root = _media_root()
        media_hashes = _media_hashes(media_root)
        files = {DB_FILE[engine]: _write(target, DB_FILE[engine], dump),
                 MEDIA_FILE: _write(target, MEDIA_FILE, _media_tar(media_root))}
    manifest = {"format": 1, "created_at": now.isoformat(), "engine": engine, "files": files,
                "tables": tables, "media": media_hashes}
    manifest["seal"] = _seal(manifest)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    log_action(None, "backup.created", ("backup", target.name),
               {"tables": len(tables), "rows": sum(t["rows"] for t in tables.values()),
                "media": len(media_hashes)})
    if keep:
        rotate(Path(to), keep=keep)
    return target


def rotate(root: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups under ``root``."""
    backups = sorted(p for p in root.glob(f"{PREFIX}*") if (p / MANIFEST).exists())
    removed = backups[:-keep] if keep else []
    for path in removed:
        shutil.rmtree(path)
    return removed


def latest(root: Path) -> Path:
    """``root`` itself if it is a backup, else the newest backup under it."""
    root = Path(root)
    if (root / MANIFEST).exists():
        return root
    backups = sorted(p for p in root.glob(f"{PREFIX}*") if (p / MANIFEST).exists())
    if not backups:
        raise BackupError(f"no backup found in {root}")
    return backups[-1]


# --- verify and restore --------------------------------------------------------------------------

def _load(source: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the decrypted files, or ``BackupError`` naming the first damage."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"manifest unreadable: {exc}") from exc
    if manifest.get("seal") != _seal(manifest):
        raise BackupError("manifest seal does not match: the manifest was altered")
    plain = {}
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing")
        blob = path.read_bytes()
        if len(blob) != expected["size"]:
            raise BackupError(f"{name} is {len(blob)} bytes, manifest says {expected['size']} "
                              "(truncated)")
        if hashlib.sha256(blob).hexdigest() != expected["sha256"]:
            raise BackupError(f"{name} checksum does not match the manifest (tampered)")
        try:
            plain[name] = decrypt_bytes(blob, context=f"backup:{name}")
        except DecryptionError as exc:
            raise BackupError(f"{name} failed authentication: {exc}") from exc
    return manifest, plain


def _compare(manifest: dict[str, Any], tables: dict[str, Any], media: dict[str, str],
             result: Verification) -> None:
    for name in sorted(set(manifest["tables"]) | set(tables)):
        want, got = manifest["tables"].get(name), tables.get(name)
        if want != got:
            result.problems.append(f"table {name}: manifest {want} restored {got}")
    for name in sorted(set(manifest["media"]) | set(media)):
        if manifest["media"].get(name) != media.get(name):
            result.problems.append(f"media {name}: differs or missing")
    result.tables = len(tables)
    result.rows = sum(t["rows"] for t in tables.values())
    result.media = len(media)


def _extract(tar_bytes: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as archive:
        archive.extractall(into, filter="data")


def _pg_scratch_restore(dump: bytes) -> dict[str, Any]:
    pg_restore = _require("pg_restore")
    scratch = f"{_pg_params()['dbname']}_verify_{os.getpid()}"[:63]
    with _pg_connect("postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        done = subprocess.run([pg_restore, "--no-owner", "--exit-on-error", "-d", scratch],
                              input=dump, env=_pg_env(), capture_output=True, check=False)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.decode()[-500:]}")
        with _pg_connect(scratch) as pg, pg.cursor() as cursor:
            return _stats(cursor, _pg_tables(cursor), _pg_quote)
    finally:
        with _pg_connect("postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def backup_verify(*, source: Path) -> Verification:
    """SEC-4: restore into a scratch location and compare with the manifest."""
    source = latest(source)
    result = Verification()
    try:
        manifest, plain = _load(source)
    except BackupError as exc:
        result.problems.append(str(exc))
        return result
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        dump = plain[DB_FILE[manifest["engine"]]]
        if manifest["engine"] == "sqlite":
            (scratch_path / "restored.sqlite3").write_bytes(dump)
            tables = _sqlite_stats(scratch_path / "restored.sqlite3")
        else:
            tables = _pg_scratch_restore(dump)
        _extract(plain[MEDIA_FILE], scratch_path / "media")
        _compare(manifest, tables, _media_hashes(scratch_path / "media"), result)
    return result


def backup_apply(*, source: Path) -> Verification:
    """Verify, then restore into the live database and media directory (incident recovery)."""
    source = latest(source)
    result = backup_verify(source=source)
    if not result.ok:
        return result
    manifest, plain = _load(source)
    dump = plain[DB_FILE[manifest["engine"]]]
    if manifest["engine"] != _engine():
        raise BackupError("the backup was made on another database engine")
    if manifest["engine"] == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "restored.sqlite3"
            path.write_bytes(dump)
            restored = sqlite3.connect(path)
            connection.ensure_connection()
            try:
                restored.backup(connection.connection)
            finally:
                restored.close()
    else:
        connection.close()
        done = subprocess.run(
            [_require("pg_restore"), "--no-owner", "--clean", "--if-exists", "--single-transaction",
             "-d", _pg_params()["dbname"]], input=dump, env=_pg_env(), capture_output=True,
            check=False)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.decode()[-500:]}")
    media_root = _media_root()
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    _extract(plain[MEDIA_FILE], media_root)
    log_action(None, "backup.restored", ("backup", source.name),
               {"tables": result.tables, "rows": result.rows})
    return result
