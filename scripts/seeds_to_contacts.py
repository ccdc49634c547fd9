"""Turn the HMIP seed documents (../shared/seeds/*.txt) into a contacts file: each
document is one note of its own case. Used to check the pipeline reads real text
sensibly (docs/seeds.md).

    python scripts/seeds_to_contacts.py ../shared/seeds out/seeds.csv
"""

import csv
import sys
from pathlib import Path


def main(seeds: str, out: str) -> None:
    rows = []
    for i, path in enumerate(sorted(Path(seeds).glob("*.txt"))):
        rows.append({"crn": f"S{i:06d}", "contact_id": f"seed-{i}", "contact_date": "2025-01-06",
                     "contact_type": "", "notes": path.read_text(encoding="utf-8"), "author": "HMIP case example",
                     "source_file": path.name})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(*sys.argv[1:3])
