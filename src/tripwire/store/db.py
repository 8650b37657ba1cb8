"""Opening the DuckDB file: where it lives, schema creation and migration, and errors a user can act on.

DuckDB lets one process write a database file at a time. A second process gets a lock error, and a
full disk gets an I/O error deep in a transaction; both are turned into `StoreError`s that name the
file and say what to do, because the raw messages do neither.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tripwire.store import schema

DB_ENV = "TRIPWIRE_DB"


class StoreError(RuntimeError):
    """A store problem with a message meant for the user (the CLI prints it as it is)."""


class StoreLocked(StoreError):
    pass


class StoreFull(StoreError):
    pass


@contextlib.contextmanager
def skip_dataframe_imports() -> Iterator[None]:
    """Keep DuckDB from importing pandas (and numpy) while a command that makes no DataFrame runs.

    When pandas is installed, DuckDB imports it the first time it converts a Python query parameter
    (to recognize pandas' own types): measured here, 0.8 to 1.8 s, more than the query itself on a
    million events. A command-line query never needs it, so it marks pandas as absent meanwhile;
    DuckDB then skips those checks, and a later `.df()` imports pandas as usual.
    """
    if "pandas" in sys.modules:
        yield
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("pandas") is None:
            del sys.modules["pandas"]


def default_db_path() -> Path:
    """`$TRIPWIRE_DB`, else the XDG data folder (`~/.local/share/tripwire/events.duckdb`)."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "tripwire" / "events.duckdb"


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


_LOCK_PID = re.compile(r"\(PID (\d+)\)")
_DISK_FULL = ("no space left", "disk full", "file too large", "not enough space", "could not write")


def translate_error(error: BaseException, path: Path) -> BaseException:
    """A DuckDB error as a StoreError with advice when we recognize it, else the error itself."""
    message = str(error)
    lowered = message.lower()
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        pid = _LOCK_PID.search(message)
        holder = f" (process {pid.group(1)})" if pid else ""
        return StoreLocked(
            f"the database {path} is in use by another process{holder}. DuckDB lets one process write "
            f"a database at a time: wait for that process to finish (or stop it), or use another file "
            f"with --db PATH or ${DB_ENV}."
        )
    if any(key in lowered for key in _DISK_FULL):
        return StoreFull(
            f"cannot write the database {path}: the disk is full, or a file size limit was reached "
            f"({message.splitlines()[0]}). The batch "
            f"being written was rolled back, so nothing is half-stored: free some space, or move the "
            f"database elsewhere with --db PATH or ${DB_ENV}, then rerun the same command to continue."
        )
    return error


def connect(db: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Any:
    """Open (creating and migrating as needed) the database and return a DuckDB connection.

    A read-only open of a file that does not exist yet is an error that says how to fill it, rather
    than an empty database created as a side effect of a query.
    """
    import duckdb

    path = resolve_db_path(db)
    if read_only and not path.exists():
        raise StoreError(
            f"no database at {path} yet: fill it with `tripwire ingest PATH...` (or choose one with "
            f"--db PATH or ${DB_ENV})."
        )
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder for the database {path}: {error}") from error
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        translated = translate_error(error, path)
        if translated is error:
            raise
        raise translated from error
    try:
        if read_only:
            _check_version(conn, path)
        else:
            migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def reading(db: str | os.PathLike[str] | None = None) -> Iterator[Any]:
    """A read-only connection, closed on leaving the block.

    Query commands open the file read-only so that they never migrate it or take the writer's lock,
    and close it as soon as the query is done so that a waiting `ingest` can go on.
    """
    conn = connect(db, read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def _table_names(conn: Any) -> set[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
    return {row[0] for row in rows}


def current_version(conn: Any) -> int | None:
    if "schema_version" not in _table_names(conn):
        return None
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _check_version(conn: Any, path: Path) -> None:
    version = current_version(conn)
    if version is None:
        raise StoreError(f"{path} is not a tripwire database (it has no schema_version table).")
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"the database {path} has schema version {version}, newer than this tripwire understands "
            f"({schema.SCHEMA_VERSION}): upgrade tripwire."
        )


def migrate(conn: Any, path: Path) -> None:
    """Bring the database to the current schema (see `schema` for the rules)."""
    now = datetime.now(UTC)
    with transaction(conn, path):
        version = current_version(conn)
        if version is None:
            if _table_names(conn) - {"schema_version"}:
                raise StoreError(f"{path} holds tables but is not a tripwire database; choose another file with --db.")
            conn.execute(schema.SCHEMA_VERSION_TABLE.ddl())
            for table in schema.TABLES:
                conn.execute(table.ddl())
            conn.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [schema.SCHEMA_VERSION, "created from the record definitions", now],
            )
        elif version > schema.SCHEMA_VERSION:
            _check_version(conn, path)
        else:
            for migration in schema.MIGRATIONS:
                if migration.version > version:
                    migration.apply(conn)
                    conn.execute(
                        "INSERT INTO schema_version VALUES (?, ?, ?)",
                        [migration.version, migration.description, now],
                    )
        reconcile_columns(conn)
        for view in schema.VIEWS:
            conn.execute(view)


def reconcile_columns(conn: Any) -> list[str]:
    """Add the columns the record gained since the database was made (additive changes only)."""
    added = []
    for table in schema.TABLES:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
            [table.name],
        ).fetchall()
        present = {row[0] for row in rows}
        for column in table.columns:
            if column.name not in present:
                conn.execute(
                    f"ALTER TABLE {schema.quote_ident(table.name)} ADD COLUMN "
                    f"{schema.quote_ident(column.name)} {column.sql_type}"
                )
                added.append(f"{table.name}.{column.name}")
    return added


@contextlib.contextmanager
def transaction(conn: Any, path: Path) -> Iterator[None]:
    """BEGIN ... COMMIT, rolled back on any error; DuckDB errors come out translated (locks, full disk)."""
    import duckdb

    conn.execute("BEGIN TRANSACTION")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as error:
        with contextlib.suppress(Exception):
            conn.execute("ROLLBACK")
        translated = translate_error(error, path) if isinstance(error, duckdb.Error) else error
        if translated is error:
            raise
        raise translated from error
