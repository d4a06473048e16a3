"""New-media accounts' posts: feed sources (read through the caller's fetcher), feed parsing, what
the stored history covers (pure), and polling a source into the store.

May import ``monitor.model``, ``monitor.config``, ``monitor.pages`` and ``monitor.store``'s types.
"""
