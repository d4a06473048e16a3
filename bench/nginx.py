"""Serve the generated site with nginx as a child process on 127.0.0.1 (its own config, free ports).

Two server blocks: the site (with /removed/ → 410 and /loop/ → a redirect to itself) and the
"external" host (with /secure/ → 403, a firewall refusing us). Every response carries the same
extra ``LinkChecker`` header, so no tool is treated differently. Access logs are off.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

CONF = """
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  absolute_redirect off;
  client_body_temp_path {root}/tmp;
  proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp;
  scgi_temp_path {root}/tmp;
  types {{ text/html html htm; application/pdf pdf; application/msword doc;
          application/vnd.ms-excel xls; image/jpeg jpg; text/plain txt; }}
  default_type application/octet-stream;
  add_header LinkChecker "govmon-bench" always;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    root {root}/site;
    index index.html;
    location ^~ /removed/ {{ return 410; }}
    location ^~ /loop/ {{ return 302 $uri; }}
  }}
  server {{
    listen 127.0.0.1:{ext_port} backlog=4096;
    root {root}/ext;
    index index.html;
    location ^~ /secure/ {{ return 403; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Nginx:
    """nginx serving ``root/site`` on ``port`` and ``root/ext`` on ``ext_port`` until ``stop``."""

    def __init__(self, root: Path, port: int, ext_port: int) -> None:
        self.root, self.port, self.ext_port = root, port, ext_port
        self.proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)

    def start(self) -> None:
        exe = self.binary()
        if exe is None:
            raise SystemExit("nginx not found: apt-get install -y nginx")
        (self.root / "tmp").mkdir(exist_ok=True)
        conf = self.root / "nginx.conf"
        conf.write_text(CONF.format(root=self.root, port=self.port, ext_port=self.ext_port))
        self.proc = subprocess.Popen([exe, "-c", str(conf), "-p", str(self.root), "-e", str(self.root / "nginx-error.log")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            if self.proc.poll() is not None:
                raise SystemExit(f"nginx exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            if all(_listening(p) for p in (self.port, self.ext_port)):
                return
            time.sleep(0.05)
        raise SystemExit("nginx did not start listening within 5 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
