"""Rectification cases (notice issues, append-only events) and the evidence pages behind fault findings.

Revision ID: 00bd99bba4ba
Revises: f9c45b9546e0
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '00bd99bba4ba'
down_revision = 'f9c45b9546e0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('target_id', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('final_url', sa.String(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.String(), nullable=False),
    sa.Column('content_type', sa.String(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('finding_ids', sa.String(), nullable=False),
    sa.Column('veto', sa.Boolean(), nullable=False),
    sa.Column('screenshot', sa.LargeBinary(), nullable=True),
    sa.Column('screenshot_note', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evidence_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_pages_fetched_at'), ['fetched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_pages_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_pages_target_id'), ['target_id'], unique=False)

    op.create_table('notice_issues',
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('issued_on', sa.String(), nullable=False),
    sa.Column('deadline', sa.String(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('by', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('period')
    )
    op.create_table('rectification_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('target_id', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('from_state', sa.String(), nullable=True),
    sa.Column('to_state', sa.String(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.Column('by', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('deadline', sa.String(), nullable=False),
    sa.Column('detail', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rectification_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_events_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_events_target_id'), ['target_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rectification_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_events_target_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_events_period'))
        batch_op.drop_index(batch_op.f('ix_rectification_events_at'))

    op.drop_table('rectification_events')
    op.drop_table('notice_issues')
    with op.batch_alter_table('evidence_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_pages_target_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_pages_period'))
        batch_op.drop_index(batch_op.f('ix_evidence_pages_fetched_at'))

    op.drop_table('evidence_pages')
