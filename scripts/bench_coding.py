"""Benchmark of the coding analytics (a script, not a test): ``.venv/bin/python scripts/bench_coding.py``.

Seeded synthetic set of 1,000 interviews and about 100,000 segments by two coders; times
each analytics function (best of 3 runs) and checks it against the 2-second budget.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from compendium import data  # noqa: E402
from compendium.cases.coding import cooccurrence, frequencies, presence, reliability  # noqa: E402
from compendium.fieldwork.demo import synthetic_interviews, synthetic_segments  # noqa: E402

BUDGET_S = 2.0


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    codebook = data.load_table("codebook", ROOT)
    codes = list(codebook.loc[codebook["parent"].notna(), "id"])
    interviews = synthetic_interviews(1000)
    segments = synthetic_segments(interviews, codes, per_interview=54, agreement=0.85)
    segments = segments.rename(columns={"interview_id": "document_id"})
    documents = interviews.rename(columns={"id": "id"})
    print(f"{len(interviews)} entretiens, {len(segments)} segments, {len(codes)} codes, "
          f"{segments['coder'].nunique()} codeurs")
    results = {
        "presence (document × code)": best_of(lambda: presence(segments)),
        "frequencies par cas": best_of(lambda: frequencies(segments, documents, "case")),
        "frequencies par type d'acteur": best_of(lambda: frequencies(segments, documents, "actor_kind")),
        "cooccurrence": best_of(lambda: cooccurrence(segments)),
        "reliability (α et κ par code et global)": best_of(
            lambda: reliability(segments, list(interviews["id"]), codes)),
    }
    width = max(map(len, results))
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds:6.3f} s  {'ok' if seconds < BUDGET_S else 'TROP LENT'}")
    if any(s >= BUDGET_S for s in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
