"""Debian's headless Chromium, driven over the Chrome DevTools Protocol (a websocket): no browser download,
no driver. Open a page, wait until its rendered text holds what we look for, take a PNG screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import requests
from websockets.sync.client import connect

NAMES = ("chromium", "chromium-browser")


def find_chromium() -> str | None:
    return next((path for path in map(shutil.which, NAMES) if path), None)


class Chromium:
    """One headless Chromium with one page; use as a context manager (the browser's process group ends)."""

    def __init__(self, binary: str, profile: Path, width: int = 1600, height: int = 1000, scale: float = 1.0):
        self.binary, self.profile, self.width, self.height, self.scale = binary, profile, width, height, scale
        self._ids = itertools.count(1)

    def __enter__(self) -> "Chromium":
        self.profile.mkdir(parents=True, exist_ok=True)
        (self.profile / "DevToolsActivePort").unlink(missing_ok=True)   # a previous browser's
        args = [self.binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", f"--window-size={self.width},{self.height}", "about:blank"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        try:
            port = self._devtools_port(deadline=time.monotonic() + 30)
            pages = [t for t in requests.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
                     if t.get("type") == "page"]
            self._closing = contextlib.ExitStack()
            self.socket = self._closing.enter_context(
                connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
            self.call("Page.enable")
            self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                      deviceScaleFactor=self.scale, mobile=False)
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self._closing.close()
        except Exception:
            pass   # the browser may already be gone; its process group ends below either way
        self._stop()

    def _stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def _devtools_port(self, deadline: float) -> int:
        """Chromium writes the port it picked to <profile>/DevToolsActivePort."""
        marker = self.profile / "DevToolsActivePort"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode} before listening")
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port within 30 s")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are dropped)."""
        message_id = next(self._ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=30))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def text(self) -> str:
        """The page's rendered text, SVG labels included."""
        result = self.call("Runtime.evaluate", returnByValue=True,
                           expression="document.body ? document.body.innerText + '\\n' + "
                                      "Array.from(document.querySelectorAll('svg text')).map(t => t.textContent)"
                                      ".join('\\n') : ''")
        return result.get("result", {}).get("value") or ""

    def wait_for_text(self, wanted: list[str], timeout: float, settle: float = 1.0) -> str:
        """Poll the rendered text until every wanted string is in it, then let the page settle a moment."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(w in text for w in wanted):
                time.sleep(settle)
                return self.text()
            time.sleep(0.5)
        missing = [w for w in wanted if w not in text]
        raise AssertionError(f"not shown after {timeout:.0f} s: {missing}; the page read:\n{text[:3000]}")

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
