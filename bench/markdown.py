"""Print a benchmark run's figures as the Markdown tables of the README.

    python bench/markdown.py bench.json [ext.json]

bench.json is what ``bench/bench.py --json`` wrote, ext.json what
``bench/bench_extended.py --json`` wrote. For each case: labsound's best
render, each peer's best render with labsound's speed-up over it, and the
range of that speed-up over the interleaved runs (run by run), which says
how far one run's figure can be trusted.
"""

from __future__ import annotations

import json
import sys


def fmt_s(s: float) -> str:
    if s >= 1.0:
        return f"{s:.2f} s"
    if s >= 0.01:
        return f"{s * 1e3:.0f} ms"
    if s >= 0.001:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e3:.2f} ms"


def speed_table(d: dict) -> list[str]:
    rows: dict = {}
    order = []
    for r in d["speed"]:
        if r["case"] not in rows:
            rows[r["case"]] = {}
            order.append(r["case"])
        rows[r["case"]][r["engine"]] = r
    peers = [e for e in ("web-audio-api", "pyo", "pedalboard", "numpy")
             if any(e in v for v in rows.values())]
    ver = d.get("versions", {})
    head = ["case", "labsound"] + [f"{p} {ver.get(p, '')}".strip() for p in peers]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in order:
        eng = rows[case]
        ls = eng.get("labsound")
        if not ls:
            continue
        cells = [ls["label"].replace("|", "/"), fmt_s(ls["render_best_s"])]
        for p in peers:
            r = eng.get(p)
            if not r or "ls_speed" not in r:
                cells.append("")
                continue
            lo, hi = r.get("ls_speed_range", [r["ls_speed"], r["ls_speed"]])
            cells.append(f"{fmt_s(r['render_best_s'])} ({r['ls_speed']:.2f}x; runs {lo:.2f}-{hi:.2f}x)")
        out.append("| " + " | ".join(cells) + " |")
    return out


def extended_table(e: dict) -> list[str]:
    out = ["| node (instances) | labsound | pyo %s (ls speed) | spread labsound / pyo |" % e.get("pyo", ""),
           "|---|---|---|---|"]
    for case, s in e["summary"].items():
        rounds = e["rounds"][case]
        def spread(eng):
            rs = sorted(r["render"] for r in rounds.get(eng, []) if "error" not in r)
            return rs[-1] / rs[0] if rs else float("nan")
        ratio = f"{s['pyo_ms']:.0f} ms ({s['ratio']:.1f}x)" if s.get("ratio") else "-"
        out.append(f"| {case} | {s['labsound_ms']:.1f} ms | {ratio} | "
                   f"{spread('labsound'):.2f} / {spread('pyo'):.2f} |")
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    with open(argv[0]) as f:
        d = json.load(f)
    print(f"load average: {d.get('load_average_start')} at the start, "
          f"{d.get('load_average_end')} at the end; best of {d.get('repeat')}\n")
    print("\n".join(speed_table(d)))
    if len(argv) > 1:
        with open(argv[1]) as f:
            print("\n" + "\n".join(extended_table(json.load(f))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
