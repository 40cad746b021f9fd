#!/usr/bin/env python3
"""Renders the acme service review in headless Chromium and checks the page.

    python3 scripts/browser_check.py SVC [--screenshot docs/review-summary.png]

Runs `svc report review` on examples/acme (a fixed --now, so the page is
reproducible), opens the file in Debian's `chromium --headless` through the
DevTools protocol (a small WebSocket client from the standard library, so CI
needs nothing but the chromium package), and asserts on the rendered page:

- the summary table lists every acme service that `svc sla` reports on;
- every chart's <svg> is present with a non-zero rendered size, a <title> and a
  text alternative (the figures table right after it);
- no console message of level error or warning, no uncaught exception;
- no network request: every request the page makes is recorded, and any but
  the page's own file:// URL fails the check.

Before that it checks itself on a page that does log an error and fetch an
image, so a broken harness cannot pass silently. With --screenshot it writes
the first screen (the summary page) as PNG.
"""

import base64
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

NOW = "2026-10-02T08:00:00Z"
PERIOD = "last-quarter"


class DevTools:
    """A minimal client of Chromium's DevTools protocol over one WebSocket."""

    def __init__(self, ws_url):
        rest = ws_url[len("ws://"):]
        hostport, path = rest.split("/", 1)
        host, port = hostport.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"WebSocket upgrade refused: {head!r}")
        self.next_id = 0
        self.events = []

    def _recv_exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, text):
        payload = text.encode()
        header = bytearray([0x81])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + masked)

    def _recv_message(self):
        message = b""
        while True:
            b0, b1 = self._recv_exact(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack(">H", self._recv_exact(2))
            elif n == 127:
                (n,) = struct.unpack(">Q", self._recv_exact(8))
            data = self._recv_exact(n)
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):
                continue
            message += data
            if b0 & 0x80:
                return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self._send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = self._recv_message()
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, message in enumerate(self.events):
                if message.get("method") == event:
                    return self.events.pop(i)
            self.events.append(self._recv_message())
        raise RuntimeError(f"timed out waiting for {event}")

    def drain(self, seconds):
        """Collects the events that arrive within `seconds`."""
        self.sock.settimeout(seconds)
        try:
            while True:
                self.events.append(self._recv_message())
        except (socket.timeout, TimeoutError):
            pass
        finally:
            self.sock.settimeout(30)


def stop_chromium(process):
    """Ends the browser and all its child processes, and waits for it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def start_chromium(profile):
    command = [
        os.environ.get("CHROMIUM", "chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    # Its own session, so stop_chromium can end the browser with every
    # child process (renderer, GPU, crash handler) still writing the profile.
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        if "DevTools listening on" in line:
            browser_ws = line.split("DevTools listening on", 1)[1].strip()
            port = browser_ws.split(":")[2].split("/")[0]
            # Keep reading its log, so a full pipe never stalls the browser.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, port
    stop_chromium(process)
    raise RuntimeError("chromium did not start (is the `chromium` package installed?)")


def open_page(port, url, width=1100, height=1500):
    """Loads `url` in the first tab with network, console and log events on."""
    # A new tab per page, so that no message of an earlier page is replayed.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=10) as r:
        page = json.load(r)
    tools = DevTools(page["webSocketDebuggerUrl"])
    for domain in ("Page", "Network", "Runtime", "Log"):
        tools.call(f"{domain}.enable")
    tools.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=False,
    )
    tools.call("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired")
    tools.drain(1.0)
    return tools


def problems_of(tools, page_url):
    """Console errors/warnings, exceptions and requests other than the page."""
    found = []
    for event in tools.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            found.append(f"console {params.get('type')}: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params.get('exceptionDetails')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            found.append(f"log {params['entry'].get('level')}: {params['entry'].get('text')}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url != page_url:
                found.append(f"network request: {url}")
    return found


PAGE_FACTS = r"""
(() => {
  const rows = [...document.querySelectorAll('#summary-table tbody tr')];
  const charts = [...document.querySelectorAll('figure.chart-figure')].map(f => {
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const table = svg ? svg.nextElementSibling : null;
    return {
      caption: (f.querySelector('figcaption') || {}).textContent || '',
      width: box.width, height: box.height,
      title: svg && svg.querySelector('title') ? svg.querySelector('title').textContent : '',
      marks: svg ? svg.querySelectorAll('line, path, rect, circle').length : 0,
      alternative: !!(table && table.tagName === 'TABLE' && table.querySelectorAll('td').length > 0),
    };
  });
  return JSON.stringify({
    services: rows.map(r => r.dataset.service),
    sections: [...document.querySelectorAll('section.service')].map(s => s.id),
    charts,
    scripts: document.scripts.length,
    title: document.title,
  });
})()
"""


def evaluate(tools, expression):
    result = tools.call("Runtime.evaluate", expression=expression, returnByValue=True)
    return json.loads(result["result"]["value"])


def self_test(port, workdir):
    """The harness must see a console error and a request when there are some."""
    bad = os.path.join(workdir, "bad.html")
    with open(bad, "w") as f:
        f.write('<!DOCTYPE html><img src="http://192.0.2.1/x.png">'
                '<script>console.error("boom")</script>')
    url = "file://" + bad
    tools = open_page(port, url)
    found = problems_of(tools, url)
    if not any("console error" in p for p in found) or not any("network request" in p for p in found):
        raise SystemExit(f"browser check harness is broken: it saw {found}")


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    svc = os.path.abspath(args[0])
    screenshot = None
    if "--screenshot" in args:
        screenshot = args[args.index("--screenshot") + 1]
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "acme")
    sla = json.loads(subprocess.run(
        [svc, "--repo", repo, "--now", NOW, "sla", "--period", PERIOD, "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    expected = [s["service"] for s in sla["services"]]
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as workdir:
        html = os.path.join(workdir, "review.html")
        subprocess.run(
            [svc, "--repo", repo, "--now", NOW, "report", "review", "--period", PERIOD,
             "--output", html], check=True)
        profile = os.path.join(workdir, "profile")
        process, port = start_chromium(profile)
        try:
            self_test(port, workdir)
            url = "file://" + html
            tools = open_page(port, url)
            facts = evaluate(tools, PAGE_FACTS)
            failures = problems_of(tools, url)
            if facts["services"] != expected:
                failures.append(f"summary lists {facts['services']}, svc sla reports {expected}")
            if len(facts["sections"]) != len(expected):
                failures.append(f"{len(facts['sections'])} service sections for {len(expected)} services")
            if len(facts["charts"]) != 4 * len(expected):
                failures.append(f"{len(facts['charts'])} charts, expected 4 per service")
            for chart in facts["charts"]:
                if not (chart["width"] > 0 and chart["height"] > 0 and chart["marks"] > 0):
                    failures.append(f"chart {chart['caption']!r} has no rendered size: {chart}")
                if not chart["title"] or not chart["alternative"]:
                    failures.append(f"chart {chart['caption']!r} lacks a title or a figures table")
            if facts["scripts"]:
                failures.append(f"the page has {facts['scripts']} script elements")
            if screenshot:
                # The first page: the title and the summary of every service.
                bottom = evaluate(tools, "JSON.stringify(Math.ceil("
                                  "document.querySelector('section.summary')"
                                  ".getBoundingClientRect().bottom) + 16)")
                shot = tools.call("Page.captureScreenshot", format="png",
                                  clip={"x": 0, "y": 0, "width": 1100, "height": bottom, "scale": 1})
                with open(screenshot, "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
        finally:
            stop_chromium(process)
    if failures:
        for failure in failures:
            print(f"browser check: {failure}", file=sys.stderr)
        raise SystemExit(1)
    print(f"browser check: {len(expected)} services, {len(facts['charts'])} charts rendered, "
          "no console error, no network request")


if __name__ == "__main__":
    main()
