"""Write SPEC section 5's files. All note text goes through Jinja autoescaping."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from hashlib import sha1
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.config import TEMPLATES_DIR

GAP_COLUMNS = ["crn", "gap_id", "criteria", "message", "trigger_contact_ids", "trigger_date", "evidence"]
FLAG_NAMES = {"negated": "negated", "hypothetical": "planned/hypothetical", "historical": "historical",
              "other_person": "other person", "attempted": "attempted"}
TRIGGER_LABELS = {"CHILD", "PARTNER", "NEW_RELATIONSHIP", "DOMESTIC_ABUSE", "SUBSTANCE_USE", "AGGRESSION", "SELF_HARM",
                  "PROTECTIVE_ORDER", "AGENCY", "RISK_ESCALATION", "REALLOCATION", "CHILD_PROTECTION"}


@lru_cache(maxsize=1)
def _env() -> Environment:
    """One environment per process, so each template is compiled once, not once per case."""
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html", "j2"]))


def case_filename(crn: str) -> str:
    """A safe file stem for a crn (unusual characters replaced, a short hash keeps it unique)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", crn)[:40]
    return safe if safe == crn else f"{safe}-{sha1(crn.encode()).hexdigest()[:8]}"


def write_case(report: dict, cases_dir: Path) -> None:
    stem = case_filename(report["crn"])
    (cases_dir / f"{stem}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    (cases_dir / f"{stem}.html").write_text(render_case_html(report), encoding="utf-8")


def render_case_html(report: dict) -> str:
    trigger_ids = {cid for f in report["findings"] for cid in f["trigger_contact_ids"]}
    text_ents: dict[str, list[dict]] = {}
    code_ents: dict[str, list[dict]] = {}
    for e in report["entities"]:
        (text_ents if e["source"] == "text" else code_ents).setdefault(e["contact_id"], []).append(e)
    contacts = []
    for c in report["contacts"]:
        cid = c["contact_id"]
        contacts.append({**c, "segments": segments(c["notes"], text_ents.get(cid, [])),
                         "is_trigger": cid in trigger_ids, "codes": code_ents.get(cid, [])})
    return _env().get_template("case.html.j2").render(
        r=report, contacts=contacts, timeline=timeline(report), flag_names=FLAG_NAMES)


def segments(text: str, entities: list[dict]) -> list[dict]:
    """Split a note into plain and highlighted pieces (entities never overlap)."""
    out, pos = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["start"] < pos:
            continue
        out.append({"text": text[pos:e["start"]], "entity": None})
        flags = [FLAG_NAMES[f] for f, on in e["context"].items() if on]
        kind = "trigger" if e["label"] in TRIGGER_LABELS else "response"
        out.append({"text": text[e["start"]:e["end"]], "entity": e, "flags": flags,
                    "css": f"{kind}{' muted' if flags else ''}"})
        pos = e["end"]
    out.append({"text": text[pos:], "entity": None})
    return out


def timeline(report: dict, width: int = 900, height: int = 90) -> dict:
    """Positions for an SVG timeline: every contact a tick, triggers and responses marked."""
    dates = [pd.Timestamp(c["date"]) for c in report["contacts"]]
    if not dates:
        return {"width": width, "height": height, "points": [], "start": "", "end": ""}
    lo, hi = min(dates), max(dates)
    span = max((hi - lo).days, 1)
    trigger_ids = {cid for f in report["findings"] for cid in f["trigger_contact_ids"]}
    labels_by_contact: dict[str, set] = {}
    for e in report["entities"]:
        if not any(e["context"].values()):
            labels_by_contact.setdefault(e["contact_id"], set()).add(e["label"])
    points = []
    for c, d in zip(report["contacts"], dates):
        labels = labels_by_contact.get(c["contact_id"], set())
        kind = "gap" if c["contact_id"] in trigger_ids else ("response" if labels - TRIGGER_LABELS else
                                                               ("trigger" if labels else "contact"))
        points.append({"x": 20 + (width - 40) * (d - lo).days / span, "kind": kind, "id": c["contact_id"],
                       "date": c["date"], "labels": ", ".join(sorted(labels))})
    return {"width": width, "height": height, "points": points, "start": lo.date().isoformat(), "end": hi.date().isoformat()}


def write_tables(out: Path, findings: list[dict], criteria: pd.DataFrame, quarantine: pd.DataFrame) -> pd.DataFrame:
    gaps = pd.DataFrame(
        [{**{k: f[k] for k in GAP_COLUMNS}, "criteria": ";".join(f["criteria"]),
          "trigger_contact_ids": ";".join(map(str, f["trigger_contact_ids"])), "rule_ids": ";".join(f["trigger_rules"]),
          "looked_for": f["looked_for"]} for f in findings],
        columns=GAP_COLUMNS + ["rule_ids", "looked_for"],
    )
    gaps.to_csv(out / "gaps.csv", index=False)
    gaps.to_parquet(out / "gaps.parquet", index=False)
    criteria.to_csv(out / "criteria.csv", index=False)
    quarantine.to_csv(out / "quarantine.csv", index=False)
    return gaps


def write_index(out: Path, summaries: list[dict], gap_ids: list[str], manifest: dict) -> None:
    n_cases = len(summaries)
    counts = Counter(g for s in summaries for g in set(s["gap_ids"]))
    prevalence = [{"gap_id": g, "cases": counts.get(g, 0), "share": counts.get(g, 0) / n_cases if n_cases else 0.0}
                  for g in gap_ids]
    groups = {}
    for key in ("team", "officer"):
        table: dict[str, dict] = {}
        for s in summaries:
            name = s.get(key) or ""
            if not name:
                continue
            row = table.setdefault(name, {"name": name, "cases": 0, "flagged": 0, "gaps": 0})
            row["cases"] += 1
            row["flagged"] += bool(s["gap_ids"])
            row["gaps"] += len(s["gap_ids"])
        groups[key] = sorted(table.values(), key=lambda r: r["name"])
    html = _env().get_template("index.html.j2").render(
        prevalence=prevalence, summaries=summaries, groups=groups, manifest=manifest, n_cases=n_cases,
        flagged=sum(bool(s["gap_ids"]) for s in summaries))
    (out / "index.html").write_text(html, encoding="utf-8")
