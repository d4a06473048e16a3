"""Persistence: the one ``Store`` (SQLite or PostgreSQL) speaking in snapshots and results, its tables
and Alembic migrations, the daemon's leases and job runs, and atomic file output.

May import ``monitor.model`` and ``monitor.config``; never the network, the checks or the runners.
"""
