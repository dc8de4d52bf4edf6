"""Generate the fictitious demonstration data (seeded, reproducible): ``data/demo/``.

    .venv/bin/python scripts/make_demo.py

Writes ``data/demo/interviews.csv`` (interview metadata) and ``data/demo/projet-fictif.qdpx``
(a REFI-QDA project with fictitious transcripts coded by two coders), which the demo
appendix imports and analyses with the same functions as the real interviews.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from compendium import data  # noqa: E402
from compendium.fieldwork.demo import SEED, synthetic_interviews, synthetic_segments, write_qdpx  # noqa: E402


def main() -> None:
    codebook = data.load_table("codebook", ROOT)
    codes = list(codebook.loc[codebook["parent"].notna(), "id"])
    interviews = synthetic_interviews(24, SEED)
    segments = synthetic_segments(interviews, codes, SEED)
    out = ROOT / "data" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    interviews.to_csv(out / "interviews.csv", index=False, lineterminator="\n")
    write_qdpx(out / "projet-fictif.qdpx", interviews, segments, codebook)
    print(f"{len(interviews)} entretiens fictifs, {len(segments)} segments : {out}")


if __name__ == "__main__":
    main()
