"""Settings: file, environment precedence, the private config file, validation."""

from __future__ import annotations

import stat

import pytest

from tui_tracker.config import config_warning, ensure_config_file, load_settings
from tui_tracker.core.errors import ConfigError


def test_env_beats_file_and_tables_flatten(tmp_path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('notify_to = ["a@x.org"]\n[smtp]\nhost = "file.example"\nport = 465\n'
                   'tls = "ssl"\n[fetch]\ndeadline = 12\n', encoding="utf-8")
    s = load_settings(cfg, env={})
    assert (s.smtp_host, s.smtp_port, s.smtp_tls, s.deadline) == ("file.example", 465, "ssl", 12)
    assert s.notify_to == ["a@x.org"]
    s = load_settings(cfg, env={"TUI_TRACKER_SMTP_HOST": "env.example",
                                "TUI_TRACKER_NOTIFY_TO": "b@x.org, c@x.org"})
    assert s.smtp_host == "env.example" and s.notify_to == ["b@x.org", "c@x.org"]


@pytest.mark.parametrize(("text", "env"), [
    ("[smtp]\ntls = 'maybe'\n", {}),
    ("deadline = 'soon'\n", {}),
    ("no_such_setting = 1\n", {}),
    ("this is not toml", {}),
    ("", {"TUI_TRACKER_SMTP_PORT": "http"}),
])
def test_bad_settings_are_one_sentence_errors(tmp_path, text: str, env: dict) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(cfg, env=env)


def test_config_file_is_created_private_and_loads(tmp_path) -> None:
    cfg = tmp_path / "sub" / "config.toml"
    assert ensure_config_file(cfg) is True
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert ensure_config_file(cfg) is False
    load_settings(cfg, env={})  # the template itself is valid TOML with defaults


def test_readable_config_with_password_is_flagged(tmp_path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[smtp]\npassword = 'x'\n", encoding="utf-8")
    cfg.chmod(0o644)
    assert "chmod 600" in config_warning(cfg)
    cfg.chmod(0o600)
    assert config_warning(cfg) is None
    repr_ = repr(load_settings(cfg, env={}))
    assert "'x'" not in repr_ and load_settings(cfg, env={}).public()["smtp_password"] != "x"
