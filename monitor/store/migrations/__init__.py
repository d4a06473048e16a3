"""Alembic migrations of govmon's database, shipped inside the package.

``monitor.store.schema`` runs them (``govmon db upgrade``); the base revision is the schema of the
release before migrations existed (commit b9fa111). A new revision:
``python -m monitor.store.schema revision "what changed"`` autogenerates one against the models.
"""
