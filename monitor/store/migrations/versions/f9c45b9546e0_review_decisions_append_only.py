"""Review decisions (人工复核): an append-only table; a later decision supersedes, none is deleted.

Revision ID: f9c45b9546e0
Revises: 3298d8f8d609
Create Date: 2026-12-04 17:57:07.405481
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'f9c45b9546e0'
down_revision = '3298d8f8d609'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('target_id', sa.String(), nullable=False),
    sa.Column('finding_id', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('verdict', sa.String(), nullable=False),
    sa.Column('reviewer', sa.String(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decisions_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decisions_target_id'), ['target_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_target_id'))
        batch_op.drop_index(batch_op.f('ix_review_decisions_period'))
        batch_op.drop_index(batch_op.f('ix_review_decisions_finding_id'))
        batch_op.drop_index(batch_op.f('ix_review_decisions_at'))

    op.drop_table('review_decisions')

