"""The only code that talks HTTP: the fetcher (limits, redirects, retries, failures as values), the
wire exchange, decoding, robots.txt, and the one decision of what a response means (``classify``).

May import ``monitor.model``, ``monitor.config`` and ``monitor.pages`` (to read an answer's page).
"""
