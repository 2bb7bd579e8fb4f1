"""The bench report as a table a person reads: one line per benchmark (what it did, how fast, how close to
the limit, its peak memory), then the machine and the process's peak memory."""

from __future__ import annotations

from typing import Any

MIB = 1 << 20


def render(report: dict[str, Any]) -> str:
    rows = [("benchmark", "seconds", "ratio to limit", "peak MiB", "what it did")]
    for name, figures in report["benchmarks"].items():
        if "skipped" in figures:
            rows.append((name, "-", "-", "-", f"skipped: {figures['skipped']}"))
        elif "error" in figures:
            rows.append((name, _number(figures.get("seconds"), 1), "-", "-", f"ERROR {figures['error'][:100]}"))
        else:
            rows.append((name, _number(figures.get("seconds"), 1), _number(figures.get("ratio_to_limit"), 3),
                         _number(_peak_mib(name, figures), 0), HEADLINES[name](figures)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) if i in (0, 4) else cell.rjust(width)
                       for i, (cell, width) in enumerate(zip(row, widths + [0]))).rstrip() for row in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    machine = report["machine"]
    lines += ["", f"machine: {machine['cores']} cores, {machine['memory_bytes'] / (1 << 30):.1f} GiB, load "
                  f"{machine['load_average_1m']} (1 min); peak memory {report['peak_memory_bytes'] / MIB:.0f} MiB "
                  f"(this process; children {report['peak_memory']['children_bytes'] / MIB:.0f} MiB); "
                  f"size {report['size']}, {report['generated_at']}",
              "ratio to limit: the busiest measured rate over the API's ceiling (1.0 = at the ceiling); "
              "`--json` for every figure"]
    return "\n".join(lines)


def _number(value: float | None, decimals: int) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


def _peak_mib(name: str, figures: dict[str, Any]) -> float | None:
    if name == "extract":
        return figures.get("peak_rss_mb", 0) * 1e6 / MIB
    if name == "transform":  # sampled (a spawned child's ru_maxrss starts from its parent's size)
        return max((v for k, v in figures.items() if k.endswith(" peak_rss_with_synthesis_mib")), default=None)
    if name == "load_xero":
        return figures.get("peak memory MiB")
    if name == "demo_pipeline":
        return figures["peak_memory_bytes"] / MIB
    return None


def _extract(f: dict[str, Any]) -> str:
    return (f"{f['objects']:,} objects (+{f['expanded_sources']:,} expanded sources) at "
            f"{f['objects_per_second']:,}/s; ceiling {f['ceiling_objects_per_second']:,.0f}/s at "
            f"{f['rate_R']:g} requests/s; {f['rate_limited_429']} answers 429")


def _transform(f: dict[str, Any]) -> str:
    sizes = [k[: -len(" transform_seconds")] for k in f if k.endswith(" transform_seconds")]
    done = [f"{size} transactions: journal + checks {f[size + ' transform_seconds']}s ({f[size + ' entries']:,} "
            f"entries), checks {'passed' if f[size + ' checks_passed'] else 'FAILED'}" for size in sizes]
    failed = [f"{k[: -len(' error')]}: {v[:80]}" for k, v in f.items() if k.endswith(" error")]
    return "; ".join(done + failed) or "no size ran"


def _load_quickbooks(f: dict[str, Any]) -> str:
    return (f"{f['create objects']:,} objects created in {f['create api_calls']} calls "
            f"({f['create objects_per_call']}/call), {f['update objects']:,} updated; "
            f"read back {'ok' if f['read_back passed'] else 'FAILED'}; {f['failures (any cause)']} failed")


def _load_xero(f: dict[str, Any]) -> str:
    return (f"{f['create objects']:,} objects created in {f['create api_calls']} calls "
            f"({f['objects_per_call']}/call), {f['update objects']:,} updated; "
            f"read back {'ok' if f['read_back passed'] else 'FAILED'}; {f['failures (any cause)']} failed")


def _demo(f: dict[str, Any]) -> str:
    if "error" in f:
        return f["error"]
    posted = f["posted"]
    return (f"{f['runs']} runs ({f['runs_succeeded']} ok), checks {f['checks_passed']}/{f['checks']}; posted "
            f"{posted['quickbooks']['objects_posted']} to QuickBooks, {posted['xero']['objects_posted']} to Xero")


HEADLINES = {"extract": _extract, "transform": _transform, "load_quickbooks": _load_quickbooks,
             "load_xero": _load_xero, "demo_pipeline": _demo}
