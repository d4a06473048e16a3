"""The judge phase, pure: every applicable check over a stored snapshot, scoring into a verdict,
and the settings' cross-validation against the registered checks.

May import ``checks`` and the layers below; never the network, the crawler or the store.
"""
