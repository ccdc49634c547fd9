"""pipeline.config: settings defaults and overrides."""

from __future__ import annotations

import pytest

from pipeline.config import CONTEXT_FLAGS, RULES_DIR, Settings


def test_config_defaults_from_settings_yaml():
    s = Settings.load()

    assert s.max_contact_interval_days == {"very high": 7, "high": 7, "medium": 14, "low": 28}
    assert s.reallocation_review_days == 28
    assert s.context_model_path  # null in the file: the packaged default path


def test_config_override_file_changes_only_given_keys(tmp_path):
    override = tmp_path / "my.yaml"
    override.write_text("reallocation_review_days: 14\nbatch_size: 50\n", encoding="utf-8")

    s = Settings.load(override)

    assert (s.reallocation_review_days, s.batch_size) == (14, 50)
    assert s.max_contact_interval_days["high"] == 7


@pytest.mark.parametrize("body", [
    "reallocation_days: 14\n",         # misspelt key
    "max_interval: {high: 5}\n",       # invented key
])
def test_when_override_has_unknown_key_then_value_error(tmp_path, body):
    override = tmp_path / "bad.yaml"
    override.write_text(body, encoding="utf-8")

    with pytest.raises(ValueError, match="unknown settings"):
        Settings.load(override)


def test_config_empty_override_file_is_allowed(tmp_path):
    override = tmp_path / "empty.yaml"
    override.write_text("", encoding="utf-8")

    assert Settings.load(override) == Settings.load()


def test_config_paths_and_flags():
    assert (RULES_DIR / "gaps.yaml").is_file()
    assert CONTEXT_FLAGS == ("negated", "hypothetical", "historical", "other_person", "attempted")
