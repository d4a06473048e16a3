"""Job runs indexed by their start, so the retention prune finds old runs without a scan.

Revision ID: c1d2e3f4a5b6
Revises: b9fa111
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = 'c1d2e3f4a5b6'
down_revision = 'b9fa111'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_started_at'), ['started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_started_at'))
