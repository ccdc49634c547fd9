"""Extraction evaluation and the context-model ship gate, on a tiny synthetic corpus."""

import itertools

import pytest

from pipeline.annotations import corpus
from pipeline.annotations.markup import parse_line
from pipeline.training import evaluate_extraction, format_extraction, train_context

PEOPLE = ["his son", "her daughter", "the kids", "his partner", "her ex"]
TEMPLATES = [
    "Seen {n}. No [[{p}|{l}|neg]] mentioned today.",
    "Will request [[SFGC|SAFEGUARDING_CHECK|hyp]] re [[{p}|{l}]] ({n}).",
    "[[HV|HOME_VISIT|att]] attempted, no answer ({n}).",
    "[[Tested positive for crack|SUBSTANCE_USE]] on visit {n}.",
    "Denies [[drug use|SUBSTANCE_USE|neg]] ({n}).",
]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    records = []
    for n, (template, person) in enumerate(itertools.product(TEMPLATES, PEOPLE * 4)):
        label = "CHILD" if person in PEOPLE[:3] else "PARTNER"
        rec = parse_line(template.format(n=n, p=person.split()[-1], l=label))
        records.append({**rec, "answer": "accept", "meta": {"id": str(n), "split": corpus.split_of(rec["text"])}})
    path = tmp_path_factory.mktemp("ann") / "spans.jsonl"
    corpus.write_jsonl(path, records)
    assert {r["meta"]["split"] for r in records} == {"train", "dev", "test"}
    return path


def test_training_evaluation_reports_spans_and_context_side_by_side(tiny_corpus, tmp_path):
    result = evaluate_extraction("test", None, tiny_corpus)
    assert result["examples"] > 0 and set(result["context"]) == {"rules"}
    assert result["spans"]["per_label"]["HOME_VISIT"]["support"] > 0
    assert 0.0 <= result["spans"]["micro"]["f1"] <= 1.0
    assert "negated" in format_extraction(result)


def test_training_ships_a_model_only_when_it_beats_the_current_one(tiny_corpus, tmp_path):
    model = tmp_path / "ctx.skops"
    first = train_context(model, annotations=tiny_corpus)
    assert first["saved"] and model.exists() and (tmp_path / "ctx.skops.meta.json").exists()
    again = train_context(model, annotations=tiny_corpus)
    assert not again["saved"] and "does not beat" in again["reason"]
    forced = train_context(model, force=True, annotations=tiny_corpus)
    assert forced["saved"]
    scored = evaluate_extraction("test", model, tiny_corpus)
    assert set(scored["context"]) == {"rules", "rules+model"}
