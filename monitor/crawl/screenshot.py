"""Full-page screenshots of veto pages with the system's headless Chromium.

Chromium's ``--screenshot`` flag captures one window of a fixed size, so a page longer than the
window is cut and a short one is padded. Instead Chromium is driven over its DevTools pipe
(``--remote-debugging-pipe``: JSON messages separated by NUL on file descriptors 3 and 4 — no
port opened, no extra package): navigate, wait for the load event, read the page's content size,
capture beyond the viewport. Playwright would do the same through a Node driver of ~100 MB and
its own browser builds, which cannot be downloaded here; it brings nothing this page needs.

Never raises for a browser problem: the outcome is ``Shot(png=None, note=…)`` (no browser
installed, a timeout, a crash), recorded beside the evidence. Only the given URL is opened.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
         "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe")


@dataclass(frozen=True, slots=True)
class Shot:
    png: bytes | None
    note: str


def browser(path: str) -> str | None:
    """The Chromium executable named by ``[evidence] chromium`` when it exists, else None."""
    if not path:
        return None
    found = shutil.which(path)
    return found if found and os.access(found, os.X_OK) else None


class _Pipe:
    """One DevTools session over the pipe: numbered commands, events read as they come."""

    def __init__(self, reader: asyncio.StreamReader, writer: Any) -> None:
        self.reader, self.writer, self.next_id = reader, writer, 0
        self.events: list[dict[str, Any]] = []

    async def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = await self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return dict(reply.get("result") or {})
            self.events.append(reply)

    async def read(self) -> dict[str, Any]:
        raw = await self.reader.readuntil(b"\0")
        return dict(json.loads(raw[:-1]))

    async def wait_event(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(await self.read())


async def take(url: str, *, chromium: str, width: int, max_height: int, timeout: float) -> Shot:
    """A full-page PNG of ``url`` (height capped at ``max_height``), or why there is none."""
    exe = browser(chromium)
    if exe is None:
        return Shot(None, f"未截图：未安装浏览器（{chromium or '未配置'}）")
    with tempfile.TemporaryDirectory(prefix="govmon-shot-") as profile:
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        os.set_inheritable(to_chrome_r, True)
        os.set_inheritable(from_chrome_w, True)

        def fds() -> None:  # in the child, before the unlisted fds are closed: DevTools reads fd 3, writes fd 4
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        try:
            proc = await asyncio.create_subprocess_exec(
                exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},800", "about:blank",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, preexec_fn=fds, pass_fds=(3, 4))
        except OSError as exc:
            for fd in (to_chrome_r, to_chrome_w, from_chrome_r, from_chrome_w):
                os.close(fd)
            return Shot(None, f"未截图：浏览器无法启动（{exc.strerror or exc}）")
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=256 * 1024 * 1024)
        read_transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                                         os.fdopen(from_chrome_r, "rb", buffering=0))
        write_transport, _ = await loop.connect_write_pipe(asyncio.BaseProtocol, os.fdopen(to_chrome_w, "wb", buffering=0))
        try:
            png = await asyncio.wait_for(_capture(_Pipe(reader, write_transport), url, width, max_height), timeout)
            if not png.startswith(PNG_MAGIC):
                return Shot(None, "未截图：浏览器未返回PNG图像")
            return Shot(png, "")
        except (TimeoutError, asyncio.TimeoutError):
            return Shot(None, f"未截图：超过{timeout:g}秒未完成")
        except (RuntimeError, asyncio.IncompleteReadError, ValueError, OSError) as exc:
            return Shot(None, f"未截图：浏览器出错（{str(exc)[:120]}）")
        finally:
            write_transport.close()
            read_transport.close()
            if proc.returncode is None:
                proc.kill()
            await proc.wait()


async def _capture(pipe: _Pipe, url: str, width: int, max_height: int) -> bytes:
    target = (await pipe.call("Target.createTarget", {"url": "about:blank"}))["targetId"]
    session = (await pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
    await pipe.call("Page.enable", session=session)
    await pipe.call("Emulation.setDeviceMetricsOverride",
                    {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False}, session=session)
    pipe.events.clear()
    navigated = await pipe.call("Page.navigate", {"url": url}, session=session)
    if navigated.get("errorText"):
        raise RuntimeError(f"页面无法打开 {navigated['errorText']}")
    await pipe.wait_event("Page.loadEventFired")
    metrics = await pipe.call("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics.get("contentSize") or {}
    height = max(1, min(int(size.get("height") or 800), max_height))
    await pipe.call("Emulation.setDeviceMetricsOverride",
                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    shot = await pipe.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                       "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                                "scale": 1}}, session=session)
    try:
        await pipe.call("Browser.close")
    except (RuntimeError, asyncio.IncompleteReadError):
        pass
    return base64.b64decode(shot["data"])
