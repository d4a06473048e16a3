"""``python -m monitor`` is ``govmon``."""

from monitor.cli.main import main

main()
