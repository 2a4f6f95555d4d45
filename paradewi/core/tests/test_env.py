from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from paradewi.env import env_bool, env_choice, env_int, env_list, env_str


def test_it_reads_booleans_in_the_usual_spellings():
    assert env_bool("X", False, environ={"X": "true"}) is True
    assert env_bool("X", True, environ={"X": "Off"}) is False
    assert env_bool("X", True, environ={}) is True
    assert env_bool("X", False, environ={"X": "  "}) is False


def test_it_fails_loudly_on_a_malformed_boolean():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ya' is not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": "ya"})


def test_it_fails_loudly_on_a_malformed_or_out_of_range_number():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='25a' is not a whole number"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "25a"})
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_int("EMAIL_PORT", 25, maximum=65535, environ={"EMAIL_PORT": "70000"})
    assert env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "587"}) == 587


def test_it_reads_lists_and_choices():
    assert env_list("H", ["a"], environ={"H": "x.id, y.id,,"}) == ["x.id", "y.id"]
    assert env_list("H", ["a"], environ={}) == ["a"]
    assert env_str("S", "d", environ={"S": " v "}) == "v"
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL='LOUD' must be one of"):
        env_choice("LOG_LEVEL", "INFO", ("INFO", "DEBUG"), environ={"LOG_LEVEL": "LOUD"})


def _import_settings(**environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", "import paradewi.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x", "DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SECRET_KEY": "x", "PARADEWI_REGENCY_CODE": "3516"}, "is not a kabupaten/kota code"),
        ({"SECRET_KEY": "x", "SESSION_COOKIE_AGE": "ten"}, "is not a whole number"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is malformed"),
    ],
)
def test_the_settings_module_refuses_to_start_on_a_bad_value(environ, message):
    result = _import_settings(**environ)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_settings_module_starts_with_only_a_secret_key():
    assert _import_settings(SECRET_KEY="x", DEBUG="false").returncode == 0


def test_the_demo_signing_key_lives_outside_the_data_folder(tmp_path):
    """The data folder (database, stored files) is what gets copied and backed up; a key
    beside it would travel with every copy."""
    script = (
        "from pathlib import Path; from django.conf import settings; import paradewi.settings as s;"
        "p = Path(s.SIGNING_PKCS12_PATH).resolve(); v = s.VAR_DIR.resolve();"
        "print(p.is_relative_to(v), p.parent == s.KEY_DIR.resolve())"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(
        SECRET_KEY="x",
        PARADEWI_DEMO="true",
        PARADEWI_VAR_DIR=str(tmp_path / "var"),
        SIGNING_PKCS12_PATH="",
    )
    result = subprocess.run(  # noqa: S603 - the script above, no outside input
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def _site_url(**environ: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SERVE_PORT")}
    env.update({"SECRET_KEY": "x", "DEBUG": "true", **environ})
    result = subprocess.run(
        [sys.executable, "-c", "import paradewi.settings as s; print(s.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_links_point_to_the_port_the_server_serves_on_unless_an_address_is_set():
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(SERVE_PORT="8100") == "http://127.0.0.1:8100"
    assert _site_url(SERVE_PORT="8100", SITE_URL="https://a.go.id/") == "https://a.go.id"


def test_make_run_passes_its_port_to_every_process_and_to_the_demo_message():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "SERVE_PORT=$(PORT) $(MANAGE) load_demo" in makefile
    assert "PORT=$(PORT) SERVE_PORT=$(PORT) $(BIN)/honcho start" in makefile
    example = (Path(__file__).resolve().parents[3] / ".env.example").read_text()
    assert "\nSITE_URL=" not in example  # .env made from it must not pin a port
