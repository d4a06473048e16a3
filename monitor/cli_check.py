"""``govmon check``: placeholder until the crawler issue lands."""
