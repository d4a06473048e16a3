"""What runs: the monthly inspection, ``govmon check --account``, the daemon and its jobs, retention,
and publishing a month's notice from the store.

May import every layer below the sandbox and the commands.
"""
