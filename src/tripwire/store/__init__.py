"""The event store: a DuckDB file with the records of `tripwire.record`, and its queries and exports.

From Python:

    from tripwire.store import Store, Extracted, EventFilter, query_events
    with Store("events.duckdb") as store:
        store.write([Extracted(article, events, quotes)])
    df = query_events("events.duckdb", types=["ASSAULT"], countries=["IRQ"], since="2020-09-01")

See docs/store.md for the schema and the commands.
"""

from tripwire.store.db import StoreError, StoreFull, StoreLocked, connect, default_db_path
from tripwire.store.export import EXPORTERS, export, exporter
from tripwire.store.query import EventFilter, iter_events, query_events, resolve_place, sql_df
from tripwire.store.writer import Extracted, Store, WriteResult, store_documents

__all__ = [
    "EXPORTERS",
    "EventFilter",
    "Extracted",
    "Store",
    "StoreError",
    "StoreFull",
    "StoreLocked",
    "WriteResult",
    "connect",
    "default_db_path",
    "export",
    "exporter",
    "iter_events",
    "query_events",
    "resolve_place",
    "sql_df",
    "store_documents",
]
