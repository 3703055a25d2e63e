import dataclasses
from pathlib import Path

from server.settings import Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def test_every_setting_is_documented_with_its_variable():
    text = DOC.read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        assert f"`FANGTAN_{field.name.upper()}`" in text, field.name


def test_environment_overrides_defaults_and_options_override_environment(tmp_path):
    env = {"FANGTAN_PORT": "9001", "FANGTAN_DATA_DIR": str(tmp_path), "FANGTAN_LOG_LEVEL": "DEBUG"}
    settings = Settings.from_env(environ=env)
    assert settings.port == 9001 and settings.data_dir == tmp_path and settings.log_level == "DEBUG"
    assert Settings.from_env(environ=env, port=9002).port == 9002
    assert Settings.from_env(environ={}).port == 8000


def test_a_non_numeric_port_is_a_clear_error():
    import pytest

    with pytest.raises(SystemExit, match="FANGTAN_PORT must be an integer"):
        Settings.from_env(environ={"FANGTAN_PORT": "eighty"})
