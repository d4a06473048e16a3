"""govmon: the engine in layers (model, config, store, pages, accounts, registry, net, crawl, judge, run,
sandbox, cli); see README "How it works" and the import-linter contract in pyproject.toml."""

__version__ = "0.1.0"
