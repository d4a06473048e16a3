"""Pure data every layer shares: the inspection period and natural weeks, snapshots, findings, the
findings document's vocabulary (verdicts, finding ids, pass rate, summary), URL normalisation.

Imports nothing else of govmon: this is the ground floor of the layers in pyproject.toml.
"""
