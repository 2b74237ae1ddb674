"""Run every benchmark case in its own process and write ``benchmarks/results.json`` plus a table on stdout.

``python -m benchmarks.run [CASE ...]`` (``make bench``).  Peak memory is the max RSS of the case's process
(including its notebook kernels when it runs any, read from the children's rusage).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.cases import CASES

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
RESULTS = HERE / "results.json"


def run_case(name: str) -> dict:
    """Run one case in a subprocess; its JSON output plus wall time and peak memory (MiB)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out_path, err_path = WORK / f"{name}.stdout", WORK / f"{name}.stderr"
    t0 = time.perf_counter()
    # Output goes to files: a pipe nobody reads while the case runs fills up and blocks the child.
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.cases", name, str(WORK)], cwd=HERE.parent,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark {name} failed:\n{err_path.read_text()[-3000:]}")
    result = json.loads(out_path.read_text().strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - t0
    result["peak_rss_mib"] = usage.ru_maxrss / 1024  # Linux: KiB
    return result


def derived(results: dict) -> dict:
    """Ratios the issue asks for (when both parts were measured)."""
    out = {}
    if "uncertainty" in results and "uncertainty_naive" in results:
        out["uncertainty_speedup_vs_naive"] = (results["uncertainty_naive"]["seconds_scaled_to_10000"]
                                               / results["uncertainty"]["seconds"])
    if "report" in results and "floor" in results:
        out["report_over_floor"] = results["report"]["seconds"] / results["floor"]["seconds"]
        if "seconds_one_page_pdf" in results["floor"]:
            out["report_over_floor_one_page_pdf"] = (results["report"]["seconds"]
                                                     / results["floor"]["seconds_one_page_pdf"])
    if "report_one_kernel" in results and "report" in results:
        out["report_speedup_kernels"] = results["report_one_kernel"]["seconds"] / results["report"]["seconds"]
    if "batch_shijiazhuang_1" in results and "batch_shijiazhuang_2" in results:
        out["batch_speedup_2_workers"] = (results["batch_shijiazhuang_1"]["seconds"]
                                          / results["batch_shijiazhuang_2"]["seconds"])
    if "batch_shijiazhuang_2" in results and "report" in results:
        out["batch_22_over_report"] = results["batch_shijiazhuang_2"]["seconds"] / results["report"]["seconds"]
    if "batch_shijiazhuang_2" in results and "batch_shijiazhuang_2_unshared" in results:
        out["batch_speedup_shared"] = (results["batch_shijiazhuang_2_unshared"]["seconds"]
                                       / results["batch_shijiazhuang_2"]["seconds"])
    if "batch_167_2" in results:
        out["batch_167_minutes"] = results["batch_167_2"]["seconds"] / 60
    return out


def main(names: list[str]) -> None:
    names = names or list(CASES)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results = dict(previous.get("cases", {}))
    for name in names:
        print(f"… {name}", flush=True)
        results[name] = run_case(name)
    doc = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "date": time.strftime("%Y-%m-%d"),
        "cases": results,
        "derived": derived(results),
    }
    RESULTS.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{'case':28s} {'seconds':>10s} {'peak MiB':>10s}")
    for name, r in results.items():
        print(f"{name:28s} {r['seconds']:10.3f} {r['peak_rss_mib']:10.0f}")
    for k, v in doc["derived"].items():
        print(f"{k}: {v:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
