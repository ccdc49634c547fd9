"""`casenotes` command line (also `python -m pipeline`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

# Prefect settings must be in the environment before prefect is imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")

import typer  # noqa: E402

from pipeline.config import SAMPLE_DIR  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Case-note gap analysis.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    contacts: Path = typer.Argument(..., help="Contacts file: CSV, JSON Lines or Parquet."),
    out: Path = typer.Option(..., "--out", help="Output directory."),
    cases: Optional[Path] = typer.Option(None, "--cases", help="Optional cases file (rosh, service, team, officer, registers)."),
    settings: Optional[Path] = typer.Option(None, "--settings", help="YAML file overriding pipeline/settings.yaml."),
):
    """Run the whole analysis and write SPEC section 5's files to OUT."""
    from pipeline.artefacts import ArtefactError
    from pipeline.ingest import InputError, read_table

    for path, what in ((contacts, "contacts"), (cases, "cases")):
        if path is not None:
            try:
                read_table(path, what)  # fail fast, with one line, before Prefect starts
            except InputError as exc:
                _fail(str(exc))
    from pipeline.flows import gap_analysis_flow

    try:
        result = gap_analysis_flow(
            contacts_path=str(contacts.resolve()), out_dir=str(out.resolve()),
            cases_path=str(cases.resolve()) if cases else None, settings_file=str(settings.resolve()) if settings else None,
        )
    except (InputError, ArtefactError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(
        f"{result['read']} rows read, {result['analysed']} analysed, {result['quarantined']} quarantined; "
        f"{result['findings']} findings → {out / 'index.html'}"
    )


@app.command()
def sample(out: Path = typer.Option(Path("out/sample"), "--out", help="Output directory.")):
    """Run on the bundled synthetic sample (data/sample/)."""
    run(SAMPLE_DIR / "contacts.csv", out=out, cases=SAMPLE_DIR / "cases.csv", settings=None)


@app.command()
def evaluate(
    out: Path = typer.Argument(..., help="Output directory of a run (its gaps.csv is scored)."),
    gold: Path = typer.Option(SAMPLE_DIR / "gold_gaps.csv", "--gold", help="Gold gaps file: crn, gap_id."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
):
    """Score a run's gaps against a gold file: precision, recall, F1 per gap id and overall."""
    from pipeline.evaluate import format_table, score_gaps

    import json

    result = score_gaps(out / "gaps.csv", gold)
    typer.echo(format_table(result))
    if json_out:
        json_out.write_text(json.dumps(result, indent=2))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
