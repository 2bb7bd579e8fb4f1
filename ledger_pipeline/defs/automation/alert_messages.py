"""What an alert says: what failed, for which tenant and day, what to look at first, and a link to the run."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import dagster as dg

ROOT_RUN_ID = "dagster/root_run_id"         # set on every retry and re-execution: the first run's id
PARTITION = "dagster/partition"
TENANT = "dagster/partition/tenant"
DAY = "dagster/partition/date"
SHOWN_METADATA = 6
SHOWN_CHARS = 300
# Anything shaped like a credential is cut from text that came from elsewhere (error messages, metadata).
_SECRET = re.compile(r"\b(?:(?:sk|rk|pk)_(?:test|live)_|whsec_|xox[abprs]-)[A-Za-z0-9_\-*]+|\bBearer\s+\S+")


def scrub(text: str) -> str:
    return _SECRET.sub("[secret]", text)


@dataclass(frozen=True)
class RunScope:
    """Which run an alert is about, and the tenant day it worked on (from the run's partition tags)."""

    run_id: str
    root_run_id: str
    job: str
    tenant: str | None
    day: str | None
    partition: str | None
    url: str

    @classmethod
    def of(cls, run: dg.DagsterRun, webserver_base_url: str) -> "RunScope":
        tags = run.tags
        return cls(run_id=run.run_id, root_run_id=tags.get(ROOT_RUN_ID) or run.run_id, job=run.job_name,
                   tenant=tags.get(TENANT), day=tags.get(DAY), partition=tags.get(PARTITION),
                   url=f"{webserver_base_url.rstrip('/')}/runs/{run.run_id}")

    def key(self, what: str) -> str:
        """Once per partition, subject and root run: a retried run shares its root's keys."""
        return f"{self.partition or '-'}|{what}|{self.root_run_id}"


@dataclass(frozen=True)
class Alert:
    keys: tuple[str, ...]
    subject: str                             # what failed, e.g. "Check failed: payouts_tie_out on stripe/payouts"
    severity: str                            # ERROR or WARN
    scope: RunScope
    facts: tuple[tuple[str, str], ...]
    look_first: tuple[str, ...]

    @property
    def tenant(self) -> str | None:
        return self.scope.tenant

    @property
    def title(self) -> str:
        return f"[{self.severity}] {self.subject} for {_where(self.scope)}"

    def text(self) -> str:
        lines = [self.title, *(f"{name}: {value}" for name, value in self.facts)]
        if self.look_first:
            # A line indented by its maker details the one above it.
            lines += ["Look first:", *(f"    {line}" if line.startswith("  ") else f"  - {line}"
                                       for line in self.look_first)]
        return "\n".join([*lines, f"Run: {self.scope.url}"])

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "severity": self.severity, "tenant": self.scope.tenant, "day": self.scope.day,
                "facts": dict(self.facts), "look_first": list(self.look_first), "run_id": self.scope.run_id,
                "root_run_id": self.scope.root_run_id, "run_url": self.scope.url}


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckEvaluation]:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
    return [e for e in evaluations if not e.passed]


def check_alert(scope: RunScope, evaluation: dg.AssetCheckEvaluation, spec_description: str | None) -> Alert:
    asset = evaluation.asset_key.to_user_string()
    severity = evaluation.severity.value
    blocking = "yes: nothing downstream of it ran" if evaluation.blocking else "no: the run went on"
    look_first = [line for line in (evaluation.description, spec_description and f"The check: {spec_description}")
                  if line]
    look_first += metadata_lines(evaluation.metadata)
    return Alert(
        keys=(scope.key(f"check {asset}:{evaluation.check_name}"),),
        subject=f"Check failed: {evaluation.check_name} on {asset}", severity=severity, scope=scope,
        facts=(("Tenant", scope.tenant or "-"), ("Day", scope.day or "-"), ("Asset", asset),
               ("Check", evaluation.check_name), ("Severity", severity), ("Blocking", blocking), ("Job", scope.job)),
        look_first=tuple(scrub(line) for line in look_first),
    )


def run_failure_alert(scope: RunScope, step_errors: list[tuple[str, str]], checks: list[Alert]) -> Alert:
    """One message for a failed run: the failed steps' errors, then the checks that failed in it."""
    look_first = [f"step {step}: {_first_line(error)}" for step, error in step_errors]
    for check in checks:
        look_first += [f"{check.subject} ({check.severity})", *(f"  {line}" for line in check.look_first)]
    return Alert(
        keys=(scope.key("run failure"), *(key for check in checks for key in check.keys)),
        subject="Ledger run failed", severity="ERROR", scope=scope,
        facts=(("Tenant", scope.tenant or "-"), ("Day", scope.day or "-"), ("Job", scope.job),
               ("Failed steps", (", ".join(step for step, _ in step_errors) or "-")
                + " (steps downstream of them did not run)"),
               ("Failed checks", str(len(checks)))),
        look_first=tuple(scrub(line) for line in look_first) or ("the run's event log",),
    )


def metadata_lines(metadata: Mapping[str, dg.MetadataValue]) -> list[str]:
    """The check's evidence (offending ids, differences), shortened for a message."""
    lines = []
    # Tables are the UI's view of rows the JSON entries beside them already name.
    shown = [(name, value) for name, value in metadata.items() if not isinstance(value, dg.TableMetadataValue)]
    for name, value in shown[:SHOWN_METADATA]:
        raw = getattr(value, "value", value)
        if isinstance(raw, (dict, list, tuple)):
            text = json.dumps(raw, default=str, separators=(", ", ": "))
        else:
            text = str(raw)
        lines.append(f"{name}: {text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + '...'}")
    return lines


def _where(scope: RunScope) -> str:
    if scope.tenant and scope.day:
        return f"{scope.tenant} on {scope.day}"
    return scope.partition or f"run {scope.run_id[:8]}"


def _first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS] + "..."
