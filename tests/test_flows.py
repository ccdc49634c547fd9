"""End-to-end smoke test: the real Prefect flow on data/sample/ (SPEC section 5)."""

import json

import pandas as pd
import pytest

from pipeline.config import SAMPLE_DIR
from pipeline.flows import batch_crn_ranges, gap_analysis_flow, mention_files_for
from pipeline.ingest import load_contacts
from pipeline.rules_check import GAP_IDS, CRITERIA_IDS  # noqa: F401  (ids must stay exactly the SPEC's)


@pytest.fixture(scope="module")
def sample_run(prefect_harness, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_run")
    result = gap_analysis_flow(
        contacts_path=str(SAMPLE_DIR / "contacts.csv"), out_dir=str(out), cases_path=str(SAMPLE_DIR / "cases.csv"))
    return out, result


def test_flow_writes_every_spec_output(sample_run):
    out, _ = sample_run
    for name in ("gaps.csv", "gaps.parquet", "criteria.csv", "index.html", "quarantine.csv", "manifest.json"):
        assert (out / name).is_file(), name
    assert not (out / "_work").exists(), "working files with note text must be removed"
    crns = set(load_contacts(SAMPLE_DIR / "contacts.csv")[0]["crn"])
    assert {p.stem for p in (out / "cases").glob("*.json")} == {p.stem for p in (out / "cases").glob("*.html")}
    assert len(list((out / "cases").glob("*.json"))) == len(crns)


def test_flow_accounts_for_every_row(sample_run):
    out, result = sample_run
    manifest = json.loads((out / "manifest.json").read_text())
    rows = manifest["rows"]
    assert rows["read"] == rows["analysed"] + rows["quarantined"] == len(pd.read_csv(SAMPLE_DIR / "contacts.csv", dtype=str))
    assert rows["quarantined"] == len(pd.read_csv(out / "quarantine.csv")) > 0
    assert result["read"] == rows["read"]
    assert manifest["models"] and all(len(h) == 64 for h in manifest["models"].values())


def test_flow_outputs_use_spec_ids_and_columns(sample_run):
    out, _ = sample_run
    gaps = pd.read_csv(out / "gaps.csv", dtype=str)
    assert list(gaps.columns[:7]) == ["crn", "gap_id", "criteria", "message", "trigger_contact_ids", "trigger_date", "evidence"]
    assert set(gaps["gap_id"]) <= GAP_IDS and len(gaps) > 0
    criteria = pd.read_csv(out / "criteria.csv", dtype=str)
    assert set(criteria["criterion"]) == CRITERIA_IDS
    assert set(criteria["status"]) <= {"evidenced", "not_evidenced", "not_applicable"}
    assert len(criteria) == 16 * criteria["crn"].nunique()


def test_flow_case_report_links_findings_to_evidence(sample_run):
    out, _ = sample_run
    gaps = pd.read_csv(out / "gaps.csv", dtype=str)
    first = gaps.iloc[0]
    report = json.loads(next((out / "cases").glob(f"{first['crn']}*.json")).read_text())
    finding = next(f for f in report["findings"] if f["gap_id"] == first["gap_id"])
    contact_ids = {c["contact_id"] for c in report["contacts"]}
    assert set(finding["trigger_contact_ids"]) <= contact_ids
    assert finding["trigger_rules"] and finding["looked_for"]
    html = next((out / "cases").glob(f"{first['crn']}*.html")).read_text()
    assert first["gap_id"] in html and "<mark" in html


def test_flow_results_do_not_depend_on_batch_sizes(sample_run, tmp_path):
    out, _ = sample_run
    settings = tmp_path / "small.yaml"
    settings.write_text("batch_size: 97\ncases_per_task: 6\n")
    small = tmp_path / "small"
    gap_analysis_flow(contacts_path=str(SAMPLE_DIR / "contacts.csv"), out_dir=str(small),
                      cases_path=str(SAMPLE_DIR / "cases.csv"), settings_file=str(settings))
    key = ["crn", "gap_id"]
    a = pd.read_csv(out / "gaps.csv", dtype=str).sort_values(key).reset_index(drop=True)
    b = pd.read_csv(small / "gaps.csv", dtype=str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert json.loads((small / "manifest.json").read_text())["settings"]["batch_size"] == 97


def test_when_a_batch_has_no_mentions_then_the_flow_still_analyses_every_case(prefect_harness, tmp_path):
    """A batch of routine notes writes an empty mentions file; case analysis reads it with a
    crn filter. Before mentions files had one schema this failed ("null vs string") on a
    1,000,000-row run."""
    contacts = pd.DataFrame({
        "crn": ["A100001", "A100001", "B200002", "B200002"], "contact_id": ["1", "2", "3", "4"],
        "contact_date": ["2024-03-04", "2024-03-11", "2024-03-04", "2024-03-11"], "contact_type": ["COAP"] * 4,
        "notes": ["Reported on time, nothing to note.", "Seen, talked about work.",
                  "Positive for cocaine today.", "Referred to CGL for assessment."],
        "author": ["PO A"] * 4, "office": ["Leeds"] * 4})
    path = tmp_path / "contacts.csv"
    contacts.to_csv(path, index=False)
    settings = tmp_path / "settings.yaml"
    settings.write_text("batch_size: 2\ncases_per_task: 10\n")  # batch 0 is A100001's two routine notes

    result = gap_analysis_flow(contacts_path=str(path), out_dir=str(tmp_path / "out"), settings_file=str(settings))

    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert result["analysed"] == 4 and manifest["cases"] == 2
    assert len(list((tmp_path / "out" / "cases").glob("*.html"))) == 2


def test_flow_analysis_chunk_reads_only_the_batches_holding_its_cases(tmp_path):
    contacts = pd.DataFrame({"crn": ["A1", "A1", "B2", "B2", "C3", "D4"], "contact_id": list("123456")})
    path = tmp_path / "contacts.parquet"
    contacts.to_parquet(path, index=False, row_group_size=2)  # as ingest writes it: sorted by crn, one group per batch
    ranges = batch_crn_ranges(path)
    files = ["m0", "m1", "m2"]

    assert ranges == [("A1", "A1"), ("B2", "B2"), ("C3", "D4")]
    assert mention_files_for("A1", "B2", files, ranges) == ["m0", "m1"]
    assert mention_files_for("D4", "D4", files, ranges) == ["m2"]


# --------------------------------------------------------------------------- Dask task runner


@pytest.mark.slow
def test_flow_on_dask_worker_processes_gives_the_same_outputs(sample_run, tmp_path):
    """The same input through a 2-process Dask cluster: gaps.csv and criteria.csv byte for byte as the
    default (thread pool) runner's, every row accounted for, and the spaCy pipeline built in the workers."""
    import os

    from distributed import Client, LocalCluster

    from pipeline.flows import dask_task_runner
    from pipeline.nlp import cached_nlp

    out, result = sample_run
    dask_out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="1GiB",
                      host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster) as client:
        runner = dask_task_runner(cluster.scheduler_address)
        dask_result = gap_analysis_flow.with_options(task_runner=runner)(
            contacts_path=str(SAMPLE_DIR / "contacts.csv"), out_dir=str(dask_out),
            cases_path=str(SAMPLE_DIR / "cases.csv"))
        pids = client.run(os.getpid)
        nlp_calls = client.run(cached_nlp.cache_info)

    for name in ("gaps.csv", "criteria.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(out / name, dtype=str), pd.read_csv(dask_out / name, dtype=str))
        assert (out / name).read_bytes() == (dask_out / name).read_bytes(), name
    assert dask_result == result
    manifest = json.loads((dask_out / "manifest.json").read_text())
    default = json.loads((out / "manifest.json").read_text())
    rows = manifest["rows"]
    assert rows["read"] == rows["analysed"] + rows["quarantined"] == len(pd.read_csv(SAMPLE_DIR / "contacts.csv", dtype=str))
    for key in ("rows", "case_rows", "cases", "findings", "findings_by_gap", "models"):
        assert manifest[key] == default[key], key
    assert not (dask_out / "_work").exists()
    # extraction ran in the worker processes, each building the pipeline (with the models) at most once
    assert os.getpid() not in pids.values()
    n_batches = -(-rows["analysed"] // manifest["settings"]["batch_size"])
    assert sum(info.hits + info.misses for info in nlp_calls.values()) == n_batches
    assert all(info.misses <= 1 for info in nlp_calls.values())


def test_dask_local_runner_starts_worker_processes_on_this_machine():
    from prefect_dask import DaskTaskRunner

    from pipeline.flows import dask_task_runner

    runner = dask_task_runner("local", 3)

    assert isinstance(runner, DaskTaskRunner) and runner.address is None
    assert runner.cluster_kwargs["n_workers"] == 3
    assert runner.cluster_kwargs["processes"] is True and runner.cluster_kwargs["threads_per_worker"] == 1
    assert runner.cluster_kwargs["host"] == "127.0.0.1"
    assert dask_task_runner("local").cluster_kwargs["n_workers"] >= 1


def test_dask_address_runner_connects_to_the_scheduler():
    from pipeline.flows import dask_task_runner

    assert dask_task_runner("tcp://scheduler:8786").address == "tcp://scheduler:8786"
    with pytest.raises(ValueError, match="scheduler address"):
        dask_task_runner("nonsense")
    with pytest.raises(ValueError, match="--workers"):
        dask_task_runner("tcp://scheduler:8786", workers=2)


def test_dask_local_workers_share_the_flows_temporary_prefect_server(monkeypatch):
    """Without PREFECT_API_URL, `--dask local` starts Prefect's temporary server once and hands its
    address to the workers (in the settings sent with each task) instead of one server per worker."""
    import prefect.server.api.server as server_module
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from pipeline.flows import prefect_api_for_workers

    started = []

    class FakeServer:
        api_url = "http://127.0.0.1:8123/api"

        def start(self):
            started.append(True)

    monkeypatch.setattr(server_module, "SubprocessASGIServer", FakeServer)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with prefect_api_for_workers("tcp://scheduler:8786"):  # workers elsewhere: left to PREFECT_API_URL
            assert not PREFECT_API_URL.value()
        with prefect_api_for_workers("local"):
            assert PREFECT_API_URL.value() == FakeServer.api_url
        assert not PREFECT_API_URL.value() and started == [True]
    with temporary_settings(updates={PREFECT_API_URL: "http://prefect.example:4200/api"}), \
            prefect_api_for_workers("local"):  # a server is configured: use it
        assert PREFECT_API_URL.value() == "http://prefect.example:4200/api"
    assert started == [True]
