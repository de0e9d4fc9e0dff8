"""Concurrent dashboard sessions: the server's cost per session and per interaction.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sessions.py              # 20 sessions
    .venv/bin/python benchmarks/bench_sessions.py --sessions 5

A real ``streamlit run app.py`` server (cold caches) and N simulated sessions: each is one
WebSocket client speaking Streamlit's own protocol (the protobuf ``BackMsg`` / ``ForwardMsg``
a browser exchanges with the server), so the server does exactly the work a browser's session
asks of it, without N browsers on two cores. Every session, all at once:

1. **load**: connects and runs the app (the Overview page);
2. **map**: opens the Map page (the folium map is built);
3. **service**: chooses "School" in the sidebar (map rebuilt, analysis cached);
4. **language**: switches to Russian.

Latency of a step = from sending the request to the server's "script finished". Before the
concurrent sessions, one session runs alone on the cold server (it computes the town, the graph
and the analysis that every later session shares). Server cost: CPU seconds (user + system, from
``/proc``) and resident memory of the server process, before and after.

Prints a markdown table of p50 / p95 per step and writes it to ``benchmarks/results_sessions.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from tests.browser_support import streamlit_server  # noqa: E402

RESULTS_FILE = Path(__file__).resolve().parent / "results_sessions.md"
STEP_TIMEOUT_S = 300.0
STEPS = ("load", "map", "service", "language")


@dataclass
class Session:
    """One simulated browser session: its connection, the widgets it saw, its timings."""

    ws: ClientConnection
    widgets: dict[str, str] = field(default_factory=dict)
    """Widget key -> widget id, from the elements the server sent."""
    pages: dict[str, str] = field(default_factory=dict)
    """URL path -> page script hash, from the navigation message."""
    page: str = ""
    states: dict[str, WidgetState] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    """Exceptions and error boxes the app showed (a step that failed is no measurement)."""
    texts: list[str] = field(default_factory=list)
    """Markdown and headings of the last run (to check that a step did what it says)."""


def _widget_ids(msg: ForwardMsg, session: Session) -> None:
    """Note keyed widget ids (they end with the key), error boxes and texts of an element."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind is None:
        return
    if kind == "exception":
        session.errors.append(element.exception.message)
    elif kind == "alert" and element.alert.format == element.alert.ERROR:
        session.errors.append(element.alert.body)
    elif kind in ("markdown", "heading"):
        session.texts.append(getattr(element, kind).body)
    elif kind == "component_instance":  # the folium map (streamlit-folium): its HTML and legend
        args = json.loads(element.component_instance.json_args or "{}")
        session.texts.append(json.dumps(args, ensure_ascii=False))
    elif kind == "iframe":
        session.texts.append(element.iframe.srcdoc)
    widget_id = getattr(getattr(element, kind), "id", "")
    if widget_id and "-" in widget_id:
        session.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id


async def _run(session: Session) -> float:
    """Ask the server to run the script with the session's state; wait until it finishes."""
    states = WidgetStates(widgets=list(session.states.values()))
    back = BackMsg(
        rerun_script=ClientState(
            query_string="", widget_states=states, page_script_hash=session.page
        )
    )
    session.texts.clear()
    start = time.perf_counter()
    await session.ws.send(back.SerializeToString())
    while True:
        raw = await asyncio.wait_for(session.ws.recv(), timeout=STEP_TIMEOUT_S)
        msg = ForwardMsg()
        msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
        kind = msg.WhichOneof("type")
        _widget_ids(msg, session)
        if kind == "navigation":
            for page in msg.navigation.app_pages:
                session.pages[page.url_pathname] = page.page_script_hash
        elif kind == "script_finished":
            return time.perf_counter() - start


def _set(session: Session, key: str, value: str) -> None:
    """Change one widget, as a click does; the others keep the values the server holds."""
    session.states = {key: WidgetState(id=session.widgets[key], string_value=value)}


async def one_session(base_url: str) -> dict[str, float]:
    """Run the four steps of one session; return seconds per step."""
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(
        ws_url,
        subprotocols=["streamlit"],  # type: ignore[list-item]
        origin=base_url,  # type: ignore[arg-type]
        max_size=None,
        open_timeout=STEP_TIMEOUT_S,
    ) as ws:
        session = Session(ws)
        session.seconds["load"] = await _run(session)
        session.page = session.pages.get("map", "")
        session.seconds["map"] = await _run(session)
        _set(session, "service", "School")
        session.seconds["service"] = await _run(session)
        school_page = "\n".join(session.texts)
        _set(session, "lang", "Русский")
        session.seconds["language"] = await _run(session)
        russian_page = "\n".join(session.texts)
    if session.errors:
        msg = f"the app showed an error: {session.errors[0][:300]}"
        raise RuntimeError(msg)
    if "School" not in school_page or "Общеобразовательная школа" not in russian_page:
        msg = "a step did not do what it says (no School page, or no Russian page)"
        raise RuntimeError(msg)
    return session.seconds


def server_pid(port: int) -> int:
    """Return the pid of the process listening on ``port`` (the Streamlit server)."""
    inode = None
    for line in Path("/proc/net/tcp").read_text(encoding="ascii").splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inode = fields[9]
            break
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if str(fd.readlink()) == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    msg = f"no process listens on port {port}"
    raise RuntimeError(msg)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (and its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (no interpolation: a real observation)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def fmt(seconds: float) -> str:
    """Seconds as ms below one second."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


async def measure(base_url: str, n_sessions: int) -> dict[str, object]:
    """One cold session, then ``n_sessions`` at once; server CPU and memory around each."""
    pid = server_pid(int(base_url.rsplit(":", 1)[1]))
    cpu0, rss0 = cpu_seconds(pid), rss_mb(pid)
    cold = await one_session(base_url)
    cpu1, rss1 = cpu_seconds(pid), rss_mb(pid)
    start = time.perf_counter()
    results = await asyncio.gather(*(one_session(base_url) for _ in range(n_sessions)))
    wall = time.perf_counter() - start
    cpu2, rss2 = cpu_seconds(pid), rss_mb(pid)
    return {
        "cold": cold,
        "cold_cpu_s": cpu1 - cpu0,
        "rss_start_mb": rss0,
        "rss_after_cold_mb": rss1,
        "sessions": results,
        "wall_s": wall,
        "cpu_s": cpu2 - cpu1,
        "rss_end_mb": rss2,
    }


def report(result: dict[str, object], n_sessions: int) -> str:
    """The markdown report."""
    sessions: list[dict[str, float]] = result["sessions"]  # type: ignore[assignment]
    cold: dict[str, float] = result["cold"]  # type: ignore[assignment]
    cpu_s = float(result["cpu_s"])  # type: ignore[arg-type]
    rss_after_cold = float(result["rss_after_cold_mb"])  # type: ignore[arg-type]
    rss_end = float(result["rss_end_mb"])  # type: ignore[arg-type]
    lines = [
        "# Concurrent dashboard sessions",
        "",
        f"Generated by `benchmarks/bench_sessions.py --sessions {n_sessions}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; a 2-core machine shared with "
        "other work. One `streamlit run app.py` server on the bundled Gusev town; each session a "
        "WebSocket client speaking Streamlit's protocol (no browser: the figures are the "
        "server's). Latency = request sent to script finished.",
        "",
        f"One session alone on the cold server (it loads the town, builds the graph and the "
        f"analysis every later session shares): load {fmt(cold['load'])}, map "
        f"{fmt(cold['map'])}, service {fmt(cold['service'])}, language "
        f"{fmt(cold['language'])}; server CPU {float(result['cold_cpu_s']):.1f} s "  # type: ignore[arg-type]
        f"(memory {float(result['rss_start_mb']):.0f} → {rss_after_cold:.0f} MB).",  # type: ignore[arg-type]
        "",
        f"Then {n_sessions} sessions at once, each doing the four steps:",
        "",
        "| step | p50 | p95 | max |",
        "|---|---|---|---|",
    ]
    for step in STEPS:
        values = [s[step] for s in sessions]
        lines.append(
            f"| {step} | {fmt(statistics.median(values))} | {fmt(percentile(values, 0.95))} | "
            f"{fmt(max(values))} |"
        )
    interactions = n_sessions * len(STEPS)
    lines += [
        "",
        f"All {n_sessions} sessions done in {fmt(float(result['wall_s']))} "  # type: ignore[arg-type]
        f"(wall). Server CPU: {cpu_s:.1f} s in all, **{cpu_s / n_sessions:.2f} s per session**, "
        f"{cpu_s / interactions:.2f} s per interaction (script run); memory "
        f"{rss_after_cold:.0f} → {rss_end:.0f} MB, "
        f"**{(rss_end - rss_after_cold) / n_sessions:.1f} MB per session**.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, streamlit_server(Path(tmp) / "log") as base_url:
        result = asyncio.run(measure(base_url, args.sessions))
    text = report(result, args.sessions)
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
