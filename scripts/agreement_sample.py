"""Draw the notes for an agreement study, and the precedents a second annotator may read.

Samples `--n` dev notes at random (`--seed`), writes them as unlabelled markup lines in
`--parts` files of equal size (`part0.txt` ...), and writes a copy of `annotations/src/`
in which those notes' lines are replaced by "# (line withheld)", so that the second
annotator can read the settled precedents without seeing the sampled notes' labels.
The second annotator labels each part from GUIDELINES.md and the precedents; the labelled
files go in `annotations/agreement/` and `casenotes annotations agreement` scores them.

    python scripts/agreement_sample.py OUT_DIR [--n 600] [--parts 4] [--seed 2026]

Session 15's study is `--n 600 --parts 4 --seed 2026` on the corpus of that session
(17,059 examples): see docs/agreement.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from pipeline.annotations import corpus
from pipeline.annotations.markup import parse_line
from pipeline.config import ANNOTATIONS_DIR


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--parts", type=int, default=4)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()

    records = corpus.load("dev")
    random.Random(args.seed).shuffle(records)
    sample = records[:args.n]
    texts = {r["text"] for r in sample}
    args.out.mkdir(parents=True, exist_ok=True)

    precedents = args.out / "precedents"
    if precedents.exists():
        shutil.rmtree(precedents)
    precedents.mkdir()
    withheld = 0
    for path in sorted((ANNOTATIONS_DIR / "src").glob("*.txt")):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#") and parse_line(line)["text"] in texts:
                line, withheld = "# (line withheld)", withheld + 1
            lines.append(line)
        (precedents / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    size = -(-len(sample) // args.parts)
    for k in range(args.parts):
        part = sample[k * size:(k + 1) * size]
        lines = [r["text"].replace("\n", "\\n") for r in part]
        assert [parse_line(line)["text"] for line in lines] == [r["text"] for r in part]
        (args.out / f"part{k}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(sample)} notes in {args.parts} parts, {sum(len(r['spans']) for r in sample)} corpus spans; "
          f"{withheld} lines withheld from {precedents}")


if __name__ == "__main__":
    main()
