"""Helpers for real-browser tests: a Streamlit server, headless Debian Chromium, page watching.

Plain functions and context managers (no fixtures) so that every browser test module can build
the fixtures it needs.

- ``streamlit_server()`` starts ``streamlit run app.py`` on a free loopback port and yields its
  base URL once ``/_stcore/health`` answers ``ok``;
- ``chromium_context()`` launches ``/usr/bin/chromium`` through Playwright in a fresh profile
  (never ``playwright install``); ``require_chromium()`` explains how to get it when missing;
- ``PageWatch`` records page errors, console errors, failed and non-local requests;
- ``wait_for_map()`` waits for the st_folium iframe and its Leaflet map.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from planner.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import (
        BrowserContext,
        ConsoleMessage,
        Frame,
        FrameLocator,
        Page,
        Request,
        Response,
    )
    from playwright.sync_api import Error as PlaywrightError

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
_STREAMLIT_PROBE = re.compile(r"https?://[^/]+/[a-z_]+/_stcore/(health|host-config): HTTP 404")
"""URL schemes that never leave the machine."""


class ChromiumMissingError(RuntimeError):
    """Debian's chromium is not installed (browser tests fail rather than skip)."""


def require_chromium(path: Path = CHROMIUM_PATH) -> Path:
    """Return the Chromium executable, or raise with the command that installs it."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        msg = (
            f"{path} is missing: browser tests need Debian's chromium. Run `bash scripts/setup.sh` "
            "(it runs `apt-get install -y chromium`); never `playwright install`."
        )
        raise ChromiumMissingError(msg)
    return path


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(
    log_path: Path,
    *,
    app: Path = PROJECT_ROOT / "app.py",
    env: Mapping[str, str] | None = None,
    startup_timeout_s: float = 60.0,
) -> Iterator[str]:
    """Run ``streamlit run <app>`` on a free loopback port; yield its base URL.

    Parameters
    ----------
    log_path
        File receiving the server's stdout and stderr (shown if it fails to start).
    app
        The Streamlit script.
    env
        Extra environment variables (e.g. ``PLANNER_GEODATA``).
    startup_timeout_s
        How long to wait for ``/_stcore/health`` to answer ``ok``.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        # A loopback address also stops Streamlit from looking up its external IP online.
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=app.parent,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(base_url, process, log_path, startup_timeout_s)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextlib.contextmanager
def chromium_context(
    *, viewport: tuple[int, int] = (1280, 900), executable: Path = CHROMIUM_PATH
) -> Iterator[BrowserContext]:
    """Launch headless Chromium in a fresh, temporary profile; yield its browser context."""
    from playwright.sync_api import sync_playwright

    require_chromium(executable)
    profile = Path(tempfile.mkdtemp(prefix="planner-chromium-"))
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(executable),
                headless=True,
                args=list(CHROMIUM_ARGS),
                viewport={"width": viewport[0], "height": viewport[1]},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageWatch:
    """What a page did: errors, console errors, requests (attach with ``watch``)."""

    origin: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, context: BrowserContext, page: Page, base_url: str) -> PageWatch:
        """Start recording ``page`` (and every frame in it) against ``base_url``'s origin."""
        parts = urlsplit(base_url)
        result = cls(origin=f"{parts.scheme}://{parts.netloc}")
        page.on("pageerror", result._on_page_error)
        page.on("console", result._on_console)
        context.on("request", result._on_request)
        context.on("requestfailed", result._on_request_failed)
        context.on("response", result._on_response)
        return result

    def unexpected_failures(self) -> list[str]:
        """Failed requests, except Streamlit's own base-path probe on a deep link.

        Opened at ``/map``, Streamlit's front end first asks ``/map/_stcore/health`` and
        ``/map/_stcore/host-config`` (in case the app is served under ``/map``); its server
        answers 404 on purpose and the front end then uses ``/``. Nothing of the app's own.
        """
        return [url for url in self.failed if not _STREAMLIT_PROBE.fullmatch(url)]

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the app's origin and ``data:``/``blob:``/``about:`` URLs."""
        return [url for url in self.requests if not self._is_local(url)]

    def _is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def _on_page_error(self, error: PlaywrightError) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_request_failed(self, request: Request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")


def wait_for_map(page: Page, *, timeout_ms: float = 30_000) -> tuple[FrameLocator, Frame]:
    """Wait until the st_folium iframe holds a Leaflet map; return its locator and frame.

    The iframe stays hidden while its height is 0, so it is awaited as *attached*, then the
    ``.leaflet-container`` inside it as visible.
    """
    page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    # While a map is replaced the old iframe lingers beside the new one for a moment: the new
    # one is the last (a strict locator over both would fail).
    frame_locator = page.locator(MAP_IFRAME).last.content_frame
    frame_locator.locator(".leaflet-container").wait_for(state="visible", timeout=timeout_ms)
    frame = next(f for f in page.frames if "/component/streamlit_folium" in f.url)
    return frame_locator, frame


def broken_images(frame: Frame) -> list[str]:
    """Return the ``src`` of every loaded ``<img>`` in ``frame`` with no pixels."""
    result = frame.evaluate(
        "() => Array.from(document.images)"
        ".filter(img => img.complete && img.naturalWidth === 0).map(img => img.src)"
    )
    return [str(src) for src in result]


def save_artifact(path: Path) -> Path:
    """Copy a test output (screenshot, ...) to ``test-artifacts/`` (git-ignored); return it."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    target = ARTIFACTS_DIR / path.name
    shutil.copyfile(path, target)
    return target


def _wait_healthy(
    base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"streamlit exited with code {process.returncode}:\n{_tail(log_path)}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    msg = f"streamlit did not become healthy within {timeout_s:.0f} s:\n{_tail(log_path)}"
    raise RuntimeError(msg)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
