"""Inspector samples: reproducible, filtered, escaped."""

import pandas as pd
import pytest

from pipeline.sampling import sample_cases


@pytest.fixture
def run_dir(tmp_path):
    rows = [{"crn": f"X{i:06d}", "gap_id": "NO_HOME_VISIT" if i % 2 else "PARTNER_NO_DA_CHECK"} for i in range(30)]
    rows.append({"crn": "<b>X1</b>", "gap_id": "NO_HOME_VISIT"})
    pd.DataFrame(rows).to_csv(tmp_path / "gaps.csv", index=False)
    return tmp_path


def test_sampling_same_seed_same_cases(run_dir):
    _, _, a = sample_cases(run_dir, n=5, seed=3)
    _, _, b = sample_cases(run_dir, n=5, seed=3)
    _, _, c = sample_cases(run_dir, n=5, seed=4)
    assert a == b and len(a) == 5 and a != c


def test_sampling_filters_by_gap_and_caps_at_population(run_dir):
    _, _, rows = sample_cases(run_dir, n=100, seed=1, gap="PARTNER_NO_DA_CHECK")
    assert len(rows) == 15 and all(r["gaps"] == "PARTNER_NO_DA_CHECK" for r in rows)


def test_sampling_writes_csv_and_escaped_html(run_dir):
    csv_path, html_path, rows = sample_cases(run_dir, n=31, seed=1)
    assert len(pd.read_csv(csv_path)) == 31
    html = html_path.read_text()
    assert "<b>X1</b>" not in html and "&lt;b&gt;X1&lt;/b&gt;" in html


@pytest.mark.parametrize("kwargs, error", [({"n": 0}, ValueError)])
def test_sampling_rejects_bad_arguments(run_dir, kwargs, error):
    with pytest.raises(error):
        sample_cases(run_dir, **kwargs)


def test_sampling_without_a_run_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="casenotes run"):
        sample_cases(tmp_path)
