"""Agreement of a second annotation with the corpus, on a tiny synthetic corpus."""

import pytest

from pipeline.agreement import AgreementError, agreement_study, format_agreement, matched_flags, pair_with_corpus, read_second
from pipeline.annotations import corpus
from pipeline.annotations.markup import parse_line

CORPUS_LINES = [
    "Seen today. No [[children|CHILD|neg]] at the address.",
    "Will request [[SFGC|SAFEGUARDING_CHECK|hyp]] re [[his son|CHILD]].",
    "[[HV|HOME_VISIT|att]] attempted, no answer.",
    "Quiet session, nothing to note.",
]


def _corpus(tmp_path, lines=CORPUS_LINES):
    records = []
    for n, line in enumerate(lines):
        rec = parse_line(line)
        records.append({**rec, "answer": "accept", "meta": {"id": corpus.example_id(rec["text"]),
                                                             "source": f"src/t.txt:{n}", "split": corpus.split_of(rec["text"])}})
    path = tmp_path / "spans.jsonl"
    corpus.write_jsonl(path, records)
    return path


def _second(tmp_path, lines, name="second.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_identical_annotations_agree_fully(tmp_path):
    result = agreement_study([_second(tmp_path, CORPUS_LINES)], _corpus(tmp_path), None, None)
    assert result["examples"] == 4 and result["corpus_spans"] == result["second_spans"] == result["matched_spans"] == 4
    assert result["spans"]["second vs corpus"]["micro"]["f1"] == 1.0
    assert result["context"]["second vs corpus"]["negated"]["f1"] == 1.0


def test_a_boundary_and_a_flag_difference_are_counted_where_they_fall(tmp_path):
    second = [
        "Seen today. No [[children|CHILD]] at the address.",               # same span, flag missed
        "Will request [[SFGC|SAFEGUARDING_CHECK|hyp]] re his [[son|CHILD]].",  # other boundary
        "[[HV|HOME_VISIT|att]] attempted, no answer.",
        "Quiet session, nothing to note.",
    ]
    result = agreement_study([_second(tmp_path, second)], _corpus(tmp_path), None, None)
    child = result["spans"]["second vs corpus"]["per_label"]["CHILD"]
    assert (child["tp"], child["fp"], child["fn"]) == (1, 1, 1)
    assert result["matched_spans"] == 3  # the two spans drawn differently have no flags to compare
    negated = result["context"]["second vs corpus"]["negated"]
    assert (negated["tp"], negated["fn"]) == (0, 1)
    assert result["context"]["second vs corpus"]["hypothetical"]["f1"] == 1.0
    assert "second vs corpus" in format_agreement(result)


def test_rule_extractor_is_scored_against_both_annotations(tmp_path):
    result = agreement_study([_second(tmp_path, CORPUS_LINES)], _corpus(tmp_path), None, None)
    assert result["extractor"] == "rules" and result["context_model"] == "rules"
    assert result["spans"]["extractor vs corpus"] == result["spans"]["extractor vs second"]
    assert result["spans"]["extractor vs corpus"]["micro"]["tp"] >= 1  # the rules find "HV" or "SFGC"


def test_matched_flags_keep_only_identical_spans():
    ref = {"meta": {"id": "a"}, **parse_line("[[his son|CHILD|other]] and [[CSC|AGENCY]]")}
    other = {"meta": {"id": "a"}, **parse_line("[[his son|CHILD]] and [[CSC|AGENCY|neg]]")}
    keys, first, second = matched_flags([(ref, other)])
    assert [k[3] for k in keys] == ["CHILD", "AGENCY"]
    assert first.shape == second.shape == (2, 5)
    assert first[0].tolist() != second[0].tolist() and first[1].tolist() != second[1].tolist()


def test_a_note_not_in_the_corpus_is_an_error_not_a_silent_drop(tmp_path):
    reference = corpus.load(None, _corpus(tmp_path))
    second = read_second([_second(tmp_path, ["A note no one annotated before, [[CSC|AGENCY]] rang."])])
    with pytest.raises(AgreementError, match="not in the corpus"):
        pair_with_corpus(second, reference)


def test_a_note_given_twice_is_an_error(tmp_path):
    with pytest.raises(AgreementError, match="twice"):
        read_second([_second(tmp_path, CORPUS_LINES[:1], "a.txt"), _second(tmp_path, CORPUS_LINES[:1], "b.txt")])
