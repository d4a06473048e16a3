"""Reading a site: the crawl into a ``SiteSnapshot``, link checking once per run, availability
probes, the content collector (columns, messages, guides) and crawl progress.

May import the checks' options, ``monitor.net`` and everything below; never the judge or the store.
"""
