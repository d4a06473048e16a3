"""Persistence: the one ``Store`` (SQLite or PostgreSQL) speaking in snapshots and results, its tables
and Alembic migrations, the daemon's leases and job runs, and atomic file output.

It keeps what the layers below produce (snapshots, evidence pages, review decisions, rectification
events), so it may import their types; the crawl and the judge never import it: the runners move
data between them and the store.
"""
