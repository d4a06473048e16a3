"""Probes record their source (scheduled or ad hoc), a firewall's answer (blocked) and why one is void.

NULL in rows of older releases reads as an ad-hoc, counted probe (see ``ProbeRow``).

Revision ID: 3298d8f8d609
Revises: c1d2e3f4a5b6
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '3298d8f8d609'
down_revision = 'c1d2e3f4a5b6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('blocked', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('void', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('probes', schema=None) as batch_op:
        batch_op.drop_column('void')
        batch_op.drop_column('blocked')
        batch_op.drop_column('source')
