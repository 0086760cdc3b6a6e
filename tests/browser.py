"""A headless Chromium driven over the DevTools protocol, to check reports as a reader sees them.

Debian's ``chromium`` package (``.ci/run`` installs it); ``websocket-client`` comes with
Jupyter. Only the page's own events are watched, so Chromium's background requests do not
count as the report's.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
)


@dataclasses.dataclass
class PageVisit:
    """What a page did while it loaded, and what it shows."""

    requests: list[str]
    console_errors: list[str]
    headings: list[str]
    images: int
    broken_images: int
    screenshot: bytes


def visit(path: Path, *, width: int = 1150, timeout: float = 60) -> PageVisit:
    """Open ``path`` in headless Chromium and report its requests, console and content."""
    import websocket

    profile = tempfile.mkdtemp(prefix="ca-chromium-")
    process = subprocess.Popen(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},1000",
            "about:blank",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = _devtools_port(process, timeout)
        target = _page_target(port, timeout)
        socket = websocket.create_connection(target, timeout=timeout, suppress_origin=True)
        ids = itertools.count(1)
        events: list[dict] = []

        def call(method: str, **params) -> dict:
            number = next(ids)
            socket.send(json.dumps({"id": number, "method": method, "params": params}))
            while True:
                message = json.loads(socket.recv())
                if message.get("id") == number:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message.get("result", {})
                events.append(message)

        for domain in ("Network", "Runtime", "Log", "Page"):
            call(f"{domain}.enable")
        events.clear()  # only what the report does counts
        call("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not load in {timeout} s")
            events.append(json.loads(socket.recv()))
        content = call(
            "Runtime.evaluate",
            returnByValue=True,
            expression="""({
                headings: [...document.querySelectorAll('h2')].map(h => h.textContent.trim()),
                images: document.images.length,
                broken: [...document.images].filter(i => !i.complete || !i.naturalWidth).length,
                height: document.documentElement.scrollHeight
            })""",
        )["result"]["value"]
        call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=min(int(content["height"]), 16000),
            deviceScaleFactor=1,
            mobile=False,
        )
        shot = call("Page.captureScreenshot", format="png")["data"]
        socket.close()
    finally:
        process.kill()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    return PageVisit(
        requests=[
            e["params"]["request"]["url"]
            for e in events
            if e.get("method") == "Network.requestWillBeSent"
        ],
        console_errors=[_console_text(e) for e in events if _is_console_error(e)],
        headings=content["headings"],
        images=content["images"],
        broken_images=content["broken"],
        screenshot=base64.b64decode(shot),
    )


def _devtools_port(process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
        if match:
            return int(match.group(1))
        if not line and process.poll() is not None:
            break
    raise RuntimeError("Chromium did not start its DevTools endpoint")


def _page_target(port: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
            pages = [t for t in json.load(answer) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise RuntimeError("Chromium opened no page")


def _is_console_error(event: dict) -> bool:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled":
        return params.get("type") in ("error", "assert")
    if method == "Runtime.exceptionThrown":
        return True
    return method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error"


def _console_text(event: dict) -> str:
    params = event.get("params", {})
    if "entry" in params:
        return params["entry"].get("text", "")
    if "exceptionDetails" in params:
        return params["exceptionDetails"].get("text", "")
    return " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
