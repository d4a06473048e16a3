"""Understanding one fetched page, without I/O: visible text, anchors, dates, list blocks, a column's
list, channel overview sections, columns, pagination, empty pages, message boards, service guides,
links for the crawler, script-rendered pages.

May import ``monitor.model`` and ``monitor.config``; pure (checked by the import-linter contract).
"""
