"""Annotation markup, corpus splits and the Label Studio / doccano importers."""

import json
import shutil

import pytest

from pipeline.annotations import corpus
from pipeline.annotations.importers import from_doccano, from_label_studio
from pipeline.annotations.markup import MarkupError, parse_line, to_markup


@pytest.mark.parametrize("line, spans", [
    # plain affirmed span, offsets into the plain text
    ("Seen with [[his son|CHILD]].", [("his son", "CHILD", set())]),
    # flags map to context attributes
    ("[[HV|HOME_VISIT|att]] - no answer", [("HV", "HOME_VISIT", {"attempted"})]),
    ("No [[children|CHILD|neg]], [[ex|PARTNER|hist,other]]", [("children", "CHILD", {"negated"}),
                                                               ("ex", "PARTNER", {"historical", "other_person"})]),
    # \n in a line is a line break in the note
    ("Plan:\\n- [[SFGC|SAFEGUARDING_CHECK|hyp]]", [("SFGC", "SAFEGUARDING_CHECK", {"hypothetical"})]),
    # no span at all
    ("Reported on time, discussed ETE.", []),
])
def test_markup_parse_line_gives_text_and_spans(line, spans):
    rec = parse_line(line)
    got = [(rec["text"][s["start"]:s["end"]], s["label"], {k for k, v in s.items() if v is True}) for s in rec["spans"]]
    assert got == spans
    assert "[[" not in rec["text"]


@pytest.mark.parametrize("line", [
    "[[son|KID]]",          # unknown label
    "[[son|CHILD|maybe]]",  # unknown flag
    "[[son|CHILD",          # unclosed span
])
def test_markup_rejects_bad_lines(line):
    with pytest.raises(MarkupError):
        parse_line(line)


def test_markup_round_trips_through_to_markup():
    line = "No [[children|CHILD|neg]]. [[Left voicemail for SW|AGENCY_CONTACT|att]]\\nPlan: [[HV|HOME_VISIT|hyp]]"
    assert to_markup(parse_line(line)) == line


def test_corpus_split_is_fixed_by_text_and_roughly_70_15_15():
    texts = [f"note number {i} about the kids" for i in range(2000)]
    splits = [corpus.split_of(t) for t in texts]
    assert splits == [corpus.split_of(t) for t in texts]  # deterministic
    share = {s: splits.count(s) / len(splits) for s in ("train", "dev", "test")}
    assert 0.65 < share["train"] < 0.75 and 0.11 < share["dev"] < 0.19 and 0.11 < share["test"] < 0.19
    assert corpus.split_of("Seen.  Denies DV.") == corpus.split_of("seen. denies dv.")  # whitespace/case folded


def test_corpus_build_reads_markup_and_imports_and_dedups(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "imported").mkdir()
    (tmp_path / "src" / "a.txt").write_text("# comment\n[[son|CHILD]] seen\n\n[[son|CHILD]] seen\n", encoding="utf-8")
    corpus.write_jsonl(tmp_path / "imported" / "b.jsonl", [{"text": "no DV", "spans": []}])
    path, counts = corpus.build(tmp_path)
    records = corpus.read_jsonl(path)
    assert [r["text"] for r in records] == ["son seen", "no DV"]
    assert records[0]["meta"]["source"] == "src/a.txt:2" and records[0]["answer"] == "accept"
    assert counts["spans"] == 1 and sum(counts[s] for s in ("train", "dev", "test")) == 2


def test_corpus_build_names_the_line_of_a_bad_example(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.txt").write_text("ok line\n[[x|NOPE]]\n", encoding="utf-8")
    with pytest.raises(MarkupError, match="bad.txt:2"):
        corpus.build(tmp_path)


def test_importer_label_studio_attaches_context_choices_to_spans(tmp_path):
    export = [{"data": {"text": "No children. HV attempted."}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 3, "end": 11, "labels": ["CHILD"]}},
        {"id": "a", "type": "choices", "from_name": "context", "value": {"choices": ["neg"]}},
        {"id": "b", "type": "labels", "value": {"start": 13, "end": 15, "labels": ["HOME_VISIT"]}},
        {"id": "b", "type": "choices", "from_name": "context", "value": {"choices": ["attempted"]}},
    ]}]}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(export))
    [rec] = from_label_studio(path)
    assert [(s["label"], s["negated"], s["attempted"]) for s in rec["spans"]] == [("CHILD", True, False), ("HOME_VISIT", False, True)]


def test_importer_doccano_reads_label_suffix_flags(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "will request SFGC", "label": [[13, 17, "SAFEGUARDING_CHECK|hyp"]]}) + "\n")
    [rec] = from_doccano(path)
    assert rec["spans"][0]["hypothetical"] and rec["text"][13:17] == "SFGC"


def test_importers_reject_unknown_labels(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "x", "label": [[0, 1, "THING"]]}) + "\n")
    with pytest.raises(ValueError, match="unknown label"):
        from_doccano(path)


def test_corpus_committed_spans_jsonl_is_built_from_the_current_sources(tmp_path):
    # forgetting `casenotes annotations build` after editing annotations/src would train
    # and evaluate on stale data
    from pipeline.config import ANNOTATIONS_DIR

    for sub in ("src", "imported"):
        if (ANNOTATIONS_DIR / sub).exists():
            shutil.copytree(ANNOTATIONS_DIR / sub, tmp_path / sub)
    path, _ = corpus.build(tmp_path)
    assert path.read_bytes() == (ANNOTATIONS_DIR / "spans.jsonl").read_bytes(), "run: casenotes annotations build"
