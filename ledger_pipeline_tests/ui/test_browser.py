"""The Dagster UI explains the books: the webserver on 127.0.0.1 over a small copy of the demo, read by
Debian's headless Chromium (over the DevTools Protocol, no browser download).

The asset graph must show the Stripe -> journal -> QuickBooks assets with their checks passed, and the
journal's page its six blocking checks and its per-payout tie-out table. Screenshots are kept in
ledger_pipeline_tests/ui/artifacts/ (gitignored): asset_graph.png, journal_entries_checks.png,
journal_entries_events.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import dagster as dg
import pytest
import requests

from .chromium import Chromium, find_chromium
from .demo_world import REPO, SANDBOX_ENV, write_config

ARTIFACTS = Path(__file__).parent / "artifacts"
BIN = Path(sys.executable).parent
KEY_ASSETS = ["stripe/balance_transactions", "stripe/payouts", "stripe/payout_composition", "mapping/tables",
              "journal/entries", "quickbooks/preflight", "quickbooks/posted_entries"]
JOURNAL_CHECKS = ["entries_balance", "booked_exactly_once", "payouts_tie_out", "clearing_matches_stripe_balance",
                  "no_unmapped_values", "totals_match_stripe"]
# The picture: Stripe's money-moving assets, then every asset of the stages after them.
GRAPH_KEYS = ["stripe/balance_transactions", "stripe/payouts", "stripe/payout_composition"]
NODE_LINKS = ("Array.from(document.querySelectorAll('a[href^=\"/assets/\"]'))"
              ".map(a => a.getAttribute('href')).join('\\n')")


def chromium_or_skip() -> str:
    binary = find_chromium()
    if binary:
        return binary
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs Debian's (apt-get install chromium) before the tests")
    pytest.skip("Debian's chromium is not installed on this machine (`sudo apt-get install chromium`); "
                "CI installs it and runs this test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(base: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"dagster-webserver exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/server_info", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise AssertionError(f"dagster-webserver did not answer /server_info in {timeout:.0f} s:\n"
                         f"{log.read_text()[-3000:]}")


LOCATIONS = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


def wait_for_code_location(base: str, timeout: float) -> None:
    """Until the webserver has loaded `ledger_pipeline`; a load error fails at once, with its message."""
    deadline = time.monotonic() + timeout
    entries: list = []
    while time.monotonic() < deadline:
        answer = requests.post(f"{base}/graphql", json={"query": LOCATIONS}, timeout=10).json()
        entries = answer["data"]["workspaceOrError"].get("locationEntries") or []
        for entry in entries:
            found = entry.get("locationOrLoadError") or {}
            assert found.get("__typename") != "PythonError", f"{entry['name']} did not load: {found.get('message')}"
        if entries and all(e["loadStatus"] == "LOADED" and e["locationOrLoadError"] for e in entries):
            return
        time.sleep(0.5)
    raise AssertionError(f"the code location did not load in {timeout:.0f} s: {entries}")


def stop(process: subprocess.Popen) -> None:
    """End the process group we started (the webserver and its code server)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def graph_url(base: str, groups: list[str]) -> str:
    """The global asset lineage, filtered to the key assets, their groups expanded."""
    later = [g for g in groups if g != "stripe"]
    query = " or ".join([f'key:"{key}"' for key in GRAPH_KEYS] + [f"group:{g}" for g in later])
    expanded = ",".join(f"global@global:{g}" for g in sorted({"stripe", *later}))
    return f"{base}/asset-groups~{quote(query, safe='')}/?{urlencode({'expanded': expanded})}"


def make_instance(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A persistent Dagster instance in `home`, its storage created once, before two processes open it
    at the same time (the runs and the webserver would otherwise race to create its SQLite schemas)."""
    (home / ".nux").mkdir(parents=True)
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    (home / ".nux" / "nux.yaml").write_text("seen: 1\n")   # the "join the community" pop-up, as once dismissed
    with monkeypatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        dg.DagsterInstance.get().dispose()


@pytest.mark.timeout(300)
def test_the_asset_graph_and_the_journal_checks_render_in_chromium(tmp_path, monkeypatch):
    binary = chromium_or_skip()
    home = tmp_path / "dagster_home"
    make_instance(home, monkeypatch)
    config = write_config(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env.update(SANDBOX_ENV, DAGSTER_HOME=str(home), LEDGER_PIPELINE_CONFIG=str(config),
               QBO_CLIENT_ID="sandbox-client-id", QBO_CLIENT_SECRET="sandbox-client-secret")
    base = f"http://127.0.0.1:{free_port()}"
    log = tmp_path / "webserver.log"

    started = time.monotonic()
    # The webserver loads the definitions while the runs are made; it reads the instance when asked.
    with log.open("w") as out:
        webserver = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", base.rsplit(":", 1)[1],
             "-w", str(REPO / "workspace.yaml")],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        built = subprocess.run([sys.executable, str(Path(__file__).parent / "demo_world.py"), str(tmp_path)],
                               cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
        assert built.returncode == 0, built.stderr[-3000:]
        world = json.loads(built.stdout.strip().splitlines()[-1])
        assert len(world["runs"]) == 2 and not world["failed"], world
        wait_for_server(base, webserver, log, timeout=120)
        wait_for_code_location(base, timeout=120)

        ARTIFACTS.mkdir(exist_ok=True)
        # A tall page drawn at 0.6: the whole graph fits at a zoom where nodes show their status.
        with Chromium(binary, tmp_path / "chromium", width=2400, height=2100, scale=0.6) as browser:
            browser.open(graph_url(base, world["groups"]))
            text = browser.wait_for_text(["balance_transactions", "payout_composition", "entries", "posted_entries",
                                          "preflight", "Passed"], timeout=90, settle=2.0)
            nodes = set(re.findall(r"^/assets/([^?]+)", browser.call(
                "Runtime.evaluate", expression=NODE_LINKS, returnByValue=True)["result"]["value"], re.M))
            assert set(KEY_ASSETS) <= nodes, (sorted(nodes), text[:2000])
            assert "6 / 6 Passed" in text   # journal/entries' checks, on its node
            graph = browser.screenshot(ARTIFACTS / "asset_graph.png")

            browser.open(f"{base}/assets/journal/entries?view=checks")
            text = browser.wait_for_text(JOURNAL_CHECKS + ["Succeeded", "This is a blocking asset check."],
                                         timeout=60)
            assert "Failed" not in text
            browser.screenshot(ARTIFACTS / "journal_entries_checks.png")

            browser.open(f"{base}/assets/journal/entries?view=events")
            browser.wait_for_text(["payouts", "tie_out", "transactions_net", "totals_by_account", "stripe_ids",
                                   "ties out"], timeout=60)   # the seller's automatic payout, the latest run
            browser.screenshot(ARTIFACTS / "journal_entries_events.png")
    finally:
        stop(webserver)
    assert graph.stat().st_size > 50_000   # a drawn graph, not a blank page
    print(f"browser test: {time.monotonic() - started:.1f}s; screenshots in {ARTIFACTS}")
