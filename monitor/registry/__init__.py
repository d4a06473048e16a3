"""The registry of targets (``registry.toml``: sites and accounts) and the import of the spreadsheets
offices keep, row by row with every problem named by field.

May import the layers below it (model, config, store for writing files, pages, accounts).
"""
