"""pipeline.cli: the `casenotes` command (SPEC section 6).

The Prefect flow is replaced by a stub module (conftest `stub_flow`): these tests check the command line's
own behaviour (fail fast with one line, wiring, exit codes), not the flow.
"""

from __future__ import annotations

import pytest

from pipeline.cli import app

GOOD_CONTACTS = "crn,contact_id,contact_date,contact_type,notes\nX1,1,2024-03-04,COAP,Seen in office.\n"


def _file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("contacts, cases, named", [
    ("crn,contact_id,contact_date,contact_type\nX1,1,2024-03-04,COAP\n", None, "notes"),   # contacts without notes
    ("crn,contact_id,notes\nX1,1,seen\n", None, "contact_date"),                           # contacts without dates
    ("contact_id,contact_date,notes\n1,2024-03-04,seen\n", None, "crn"),                   # contacts without crn
    (GOOD_CONTACTS, "case_ref,rosh\nX1,high\n", "crn"),                                    # cases file without crn
], ids=["contacts-no-notes", "contacts-no-date", "contacts-no-crn", "cases-no-crn"])
def test_when_required_column_missing_then_run_exits_with_one_line(cli_runner, flow_calls, tmp_path, contacts, cases, named):
    args = ["run", str(_file(tmp_path, "contacts.csv", contacts)), "--out", str(tmp_path / "out")]
    if cases:
        args += ["--cases", str(_file(tmp_path, "cases.csv", cases))]

    result = cli_runner.invoke(app, args)

    assert flow_calls == []                      # failed before the flow started
    assert result.exit_code != 0
    lines = _error_lines(result)
    assert len(lines) == 1 and named in lines[0]


@pytest.mark.parametrize("name, content", [
    ("missing.csv", None),                                     # does not exist
    ("contacts.parquet", b"not parquet"),                      # corrupt
    ("contacts.csv", "crn,notes\nX1,caf\xe9\n".encode("latin-1")),  # not UTF-8
    ("contacts.xlsx", b"PK\x03\x04"),                          # unsupported format
])
def test_when_contacts_unreadable_then_run_exits_with_one_line(cli_runner, flow_calls, tmp_path, name, content):
    path = tmp_path / name if content is None else _file(tmp_path, name, content)

    result = cli_runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])

    assert result.exit_code == 2
    assert flow_calls == []
    lines = _error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0]


def test_when_cases_file_unreadable_then_run_exits_with_one_line(cli_runner, flow_calls, tmp_path):
    contacts = _file(tmp_path, "contacts.csv", GOOD_CONTACTS)

    result = cli_runner.invoke(app, ["run", str(contacts), "--cases", str(tmp_path / "nope.csv"), "--out", str(tmp_path)])

    assert result.exit_code == 2 and flow_calls == []
    assert len(_error_lines(result)) == 1 and "cases" in result.stderr


def test_when_input_usable_then_run_calls_flow_with_resolved_paths(cli_runner, flow_calls, tmp_path, monkeypatch):
    _file(tmp_path, "contacts.csv", GOOD_CONTACTS)
    _file(tmp_path, "cases.csv", "crn,rosh\nX1,high\n")
    monkeypatch.chdir(tmp_path)

    result = cli_runner.invoke(app, ["run", "contacts.csv", "--cases", "cases.csv", "--out", "out"])

    assert result.exit_code == 0, result.output
    (call,) = flow_calls
    assert call["contacts_path"] == str(tmp_path / "contacts.csv")
    assert call["cases_path"] == str(tmp_path / "cases.csv")
    assert call["out_dir"] == str(tmp_path / "out")
    assert call["settings_file"] is None
    assert "1 rows read, 1 analysed, 0 quarantined" in result.stdout


def test_when_flow_raises_input_error_then_run_exits_with_one_line(cli_runner, stub_flow, tmp_path):
    from pipeline.ingest import InputError

    def fail(**kwargs):
        raise InputError("contacts file c.csv is missing required column(s): notes")

    stub_flow(fail)

    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "c.csv", GOOD_CONTACTS)), "--out", str(tmp_path / "o")])

    assert result.exit_code == 2
    assert _error_lines(result) == ["error: contacts file c.csv is missing required column(s): notes"]


def test_when_out_option_missing_then_usage_error(cli_runner, flow_calls, tmp_path):
    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "contacts.csv", GOOD_CONTACTS))])

    assert result.exit_code != 0 and flow_calls == []
    assert "--out" in result.output


def test_cli_evaluate_prints_table(cli_runner, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    _file(out, "gaps.csv", "crn,gap_id\nX1,NO_HOME_VISIT\nX2,NO_HOME_VISIT\n")
    gold = _file(tmp_path, "gold.csv", "crn,gap_id\nX1,NO_HOME_VISIT\n")
    json_out = tmp_path / "scores.json"

    result = cli_runner.invoke(app, ["evaluate", str(out), "--gold", str(gold), "--json", str(json_out)])

    assert result.exit_code == 0, result.output
    overall = [line for line in result.stdout.splitlines() if line.startswith("OVERALL")]
    assert overall and overall[0].split()[1:4] == ["1", "1", "0"]
    assert json_out.exists()


def test_when_prefect_dask_missing_then_run_with_dask_exits_2_with_install_hint(cli_runner, tmp_path, monkeypatch):
    import sys

    import pipeline.flows

    calls = []
    monkeypatch.setattr(pipeline.flows, "gap_analysis_flow", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setitem(sys.modules, "prefect_dask", None)  # `import prefect_dask` now raises ImportError

    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "c.csv", GOOD_CONTACTS)), "--out", str(tmp_path / "o"),
                                     "--dask", "local"])

    assert result.exit_code == 2 and calls == []
    (line,) = _error_lines(result)
    assert line.startswith("error: ") and "prefect-dask" in line and "pip install -e '.[dask]'" in line


def test_when_dask_given_then_run_uses_its_task_runner(cli_runner, flow_calls, tmp_path):
    import contextlib
    import sys

    flows = sys.modules["pipeline.flows"]  # the stub
    runners = []
    flows.DaskUnavailable = RuntimeError
    flows.dask_task_runner = lambda dask, workers: runners.append((dask, workers)) or "the-runner"
    flows.prefect_api_for_workers = lambda dask: contextlib.nullcontext(runners.append(("api", dask)))
    flows.gap_analysis_flow.with_options = lambda task_runner: (
        lambda **kwargs: flows.gap_analysis_flow(task_runner=task_runner, **kwargs))

    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "c.csv", GOOD_CONTACTS)), "--out", str(tmp_path / "o"),
                                     "--dask", "local", "--workers", "3"])

    assert result.exit_code == 0, result.output
    assert runners == [("local", 3), ("api", "local")]
    assert flow_calls[0]["task_runner"] == "the-runner"


def test_when_no_dask_then_run_uses_the_default_runner(cli_runner, flow_calls, tmp_path):
    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "c.csv", GOOD_CONTACTS)), "--out", str(tmp_path / "o")])

    assert result.exit_code == 0, result.output
    assert "task_runner" not in flow_calls[0]


def test_when_workers_without_dask_local_then_run_exits_2(cli_runner, flow_calls, tmp_path):
    result = cli_runner.invoke(app, ["run", str(_file(tmp_path, "c.csv", GOOD_CONTACTS)), "--out", str(tmp_path / "o"),
                                     "--workers", "2"])

    assert result.exit_code == 2 and flow_calls == []
    assert _error_lines(result) == ["error: --workers applies only to --dask local"]


def test_when_agreement_file_holds_a_note_not_in_the_corpus_then_exits_with_one_line(cli_runner, tmp_path):
    second = _file(tmp_path, "second.txt", "A note written for this test only, [[CSC|AGENCY]] rang at 9.\n")
    result = cli_runner.invoke(app, ["annotations", "agreement", str(second)])
    assert result.exit_code == 2
    assert _error_lines(result) == ["error: 1 note(s) not in the corpus, first src/second.txt:1: "
                                    "the study compares labels of corpus notes only"]
