"""``python -m monitor`` is ``govmon``."""

from monitor.cli import main

main()
