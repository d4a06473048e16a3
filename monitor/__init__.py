"""govmon engine: settings, registry, crawler, storage, scheduler and CLI."""

__version__ = "0.1.0"
