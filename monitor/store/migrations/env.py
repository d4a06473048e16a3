"""Alembic environment: runs on the connection ``monitor.store.schema`` hands over (batch mode on SQLite)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from monitor.store.schema import include_name
from monitor.store.tables import UTCDateTime


def render_item(type_: str, obj: Any, _context: Any) -> str | bool:
    """Revisions spell column types in plain SQLAlchemy, so they never import govmon's models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=include_name,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
