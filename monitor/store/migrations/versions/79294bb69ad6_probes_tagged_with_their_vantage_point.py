"""Probes record the vantage point (the worker's network) they were taken from.

NULL in older rows reads as the one network (no vantage points configured).

Revision ID: 79294bb69ad6
Revises: 00bd99bba4ba
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '79294bb69ad6'
down_revision = '00bd99bba4ba'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vantage', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.drop_column('vantage')
