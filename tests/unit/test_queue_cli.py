"""The queue commands' input errors: one line, exit 2, no service needed (nothing listens on port 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.run.broker import BrokerError, redis_client

GOVMON = str(Path(sys.executable).parent / "govmon")


def test_a_broker_that_is_not_a_redis_url_is_named() -> None:
    with pytest.raises(BrokerError, match="expected a redis:// URL"):
        redis_client("amqp://127.0.0.1:5672/")


def test_a_broker_nobody_answers_is_one_line_naming_it() -> None:
    with pytest.raises(BrokerError, match="127.0.0.1:1"):
        redis_client("redis://127.0.0.1:1/0")


@pytest.mark.slow
def test_worker_and_inspect_refuse_bad_queues_and_a_dead_broker_with_exit_2(tmp_path: Path) -> None:
    queues = subprocess.run([GOVMON, "worker", "--broker", "redis://127.0.0.1:1/0", "--db", str(tmp_path / "x.db"),
                             "--queues", "inspect,bogus"], capture_output=True, text=True, timeout=60)
    assert queues.returncode == 2 and "bogus" in queues.stderr
    registry = tmp_path / "registry.toml"
    registry.write_text('[[sites]]\nid = "1403000001"\nname = "测试"\nurl = "http://127.0.0.1:1/"\n', encoding="utf-8")
    dead = subprocess.run([GOVMON, "inspect", "--broker", "redis://127.0.0.1:1/0", "--db", str(tmp_path / "x.db"),
                           "--registry", str(registry), "--as-of", "2021-08-31"], capture_output=True, text=True,
                          timeout=60)
    assert dead.returncode == 2 and "redis://127.0.0.1:1/0" in dead.stderr, dead.stderr
    assert len(dead.stderr.strip().splitlines()) == 1
