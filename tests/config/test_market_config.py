"""``[providers.NAME]`` of the market sources: off by default when a third party, a token
from the file or the environment (which wins) and never shown, the cities of a board read
per city, and each source said on or off, with why."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from providers.market_records import MARKET, MARKET_SOURCES
from tests.helpers.market import FxBoard, KursBoard, join_market
from tests.helpers.paths import REPO
from ticker.cli import main
from ticker.config import Settings, load_settings, parse_config
from ticker.core.registry import build_provider
from ticker.errors import ConfigError

SECRET = "fxkg-s3cr3t-T0KEN_value"


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)


def write(tmp_path: Path, toml: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    return path


def test_a_third_party_source_is_off_by_default_and_the_central_bank_s_on() -> None:
    s = Settings()
    assert s.enabled_providers("market") == ["nbt-banks"]
    assert "nbt-banks" not in s.enabled_providers("rates")  # polled, never routed
    assert not any(s.providers[n].enabled for n in ("fx-kg", "kurs-kz", "bank-uz"))
    assert s.providers["kurs-kz"].places == ("almaty", "astana")


def test_the_repository_config_says_each_market_source_in_one_comment_line() -> None:
    lines = (REPO / "config.toml").read_text().splitlines()
    for source in MARKET_SOURCES:
        at = lines.index(f"[providers.{source.name}]")
        assert lines[at - 1] == f"# {source.title}: {source.terms}.", source.name
        assert not lines[at - 2].startswith("#"), f"{source.name}: one comment line"
    settings = parse_config(
        __import__("tomllib").loads((REPO / "config.toml").read_text()), "config.toml"
    )
    assert dataclasses.replace(settings, path=None) == Settings()


def test_the_token_comes_from_the_file_or_the_environment_which_wins(tmp_path: Path) -> None:
    path = write(tmp_path, f'[providers.fx-kg]\nenabled = true\ntoken = "{SECRET}"\n')
    assert load_settings(str(path), env={}).providers["fx-kg"].token == SECRET
    env = {"TICKER_FXKG_TOKEN": "from-the-environment"}
    assert load_settings(str(path), env=env).providers["fx-kg"].token == "from-the-environment"
    # No file at all: the environment alone fills it in.
    alone = load_settings(str(write(tmp_path, "[providers.fx-kg]\nenabled = true\n")), env=env)
    assert alone.providers["fx-kg"].token == "from-the-environment"
    assert "fx-kg" in alone.enabled_providers("market")


def test_the_token_is_never_shown(tmp_path: Path) -> None:
    path = write(tmp_path, f'[providers.fx-kg]\nenabled = true\ntoken = "{SECRET}"\n')
    settings = load_settings(str(path), env={})
    assert SECRET not in repr(settings.providers["fx-kg"])
    assert SECRET not in repr(settings)
    provider = build_provider("fx-kg", settings)
    assert provider.options.token == SECRET and SECRET not in repr(provider.options)
    # A token that is not one is refused without being shown, from the file or the variable.
    bad = f"{SECRET} with spaces"
    with pytest.raises(ConfigError) as info:
        load_settings(str(write(tmp_path, f'[providers.fx-kg]\ntoken = "{bad}"\n')), env={})
    assert str(info.value).endswith(
        "providers.fx-kg.token: expected an access token (letters, digits and -._~+/, as the "
        f"source gives it), got a value of {len(bad)} characters (not shown)"
    )
    assert SECRET not in str(info.value)
    with pytest.raises(ConfigError) as info:
        load_settings(None, env={"TICKER_FXKG_TOKEN": bad})
    assert str(info.value).startswith("$TICKER_FXKG_TOKEN: expected an access token")
    assert SECRET not in str(info.value)
    with pytest.raises(ConfigError, match="token: expected an access token .* got a number"):
        parse_config({"providers": {"fx-kg": {"token": 123456789}}}, "config.toml")


def test_each_market_source_says_whether_it_is_on_and_why_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        f'[storage]\nurl = "sqlite:///{tmp_path}/t.db"\n'
        "[providers.fx-kg]\nenabled = true\n[providers.kurs-kz]\nenabled = true\n",
    )
    assert main(["--config", str(path), "config", "check"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"OK: {path}; database ")
    assert lines[1:] == [
        "Market sources (banks' and offices' buy and sell, never an official rate):",
        "  nbt-banks  on",
        "  fx-kg      off: no token (set [providers.fx-kg] token or TICKER_FXKG_TOKEN)",
        "  kurs-kz    on, third party",
        "  bank-uz    off: third party, set [providers.bank-uz] enabled = true",
    ]
    assert main(["--config", str(path), "providers"]) == 0
    out = capsys.readouterr().out
    assert "  fx-kg      off: no token (set [providers.fx-kg] token or TICKER_FXKG_TOKEN)" in out
    assert main(["--config", str(path), "providers", "--json"]) == 0
    document = __import__("json").loads(capsys.readouterr().out)
    assert document["market"][1] == {
        "provider": "fx-kg",
        "on": False,
        "third_party": True,
        "off": "off: no token (set [providers.fx-kg] token or TICKER_FXKG_TOKEN)",
    }
    fx = next(r for r in document["providers"] if r["provider"] == "fx-kg")
    assert fx["enabled"] is False  # not polled without its token


def test_a_token_set_is_said_on_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        f'[storage]\nurl = "sqlite:///{tmp_path}/t.db"\n[providers.fx-kg]\nenabled = true\n',
    )
    monkeypatch.setenv("TICKER_FXKG_TOKEN", SECRET)
    for command in (["config", "check"], ["providers"], ["providers", "--json"]):
        assert main(["--config", str(path), *command]) == 0
        out, err = capsys.readouterr()
        assert SECRET not in out + err
    assert main(["--config", str(path), "config", "check"]) == 0
    assert "  fx-kg      on, third party" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ("[]", 'places: expected at least one city, like "almaty", got an empty array'),
        ('["Almaty"]', "places[0]: expected a city as the source's addresses spell it"),
        ('["almaty", "almaty"]', "places"),
        ('"almaty"', 'places: expected an array, got "almaty"'),
        (str([f"city-{'a' * (i + 1)}" for i in range(21)]).replace("'", '"'), "at most 20"),
    ],
)
def test_places_are_checked(tmp_path: Path, places: str, message: str) -> None:
    path = write(tmp_path, f"[providers.kurs-kz]\nplaces = {places}\n")
    with pytest.raises(ConfigError) as info:
        load_settings(str(path), env={})
    said = str(info.value)
    assert said.startswith(f"{path}: providers.kurs-kz.") and message in said


def test_a_misspelt_city_is_found_by_config_check_naming_the_accepted_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '[providers.kurs-kz]\nenabled = true\nplaces = ["almaty", "almty"]\n')
    assert main(["--config", str(path), "config", "check"]) == 2
    out, err = capsys.readouterr()
    [line] = (out + err).strip().splitlines()
    names = ", ".join(MARKET["kurs-kz"].known_places)
    assert line.endswith(
        f"{path}: providers.kurs-kz.places[1]: expected one of the cities it has pages for "
        f'({names}), got "almty"'
    )
    assert "almaty, astana, shymkent" in names


def test_every_accepted_city_is_accepted(tmp_path: Path) -> None:
    cities = ", ".join(f'"{c}"' for c in MARKET["kurs-kz"].known_places)
    path = write(tmp_path, f"[providers.kurs-kz]\nplaces = [{cities}]\n")
    places = load_settings(str(path), env={}).providers["kurs-kz"].places
    assert places == MARKET["kurs-kz"].known_places


def test_places_reach_the_source(tmp_path: Path) -> None:
    path = write(tmp_path, '[providers.kurs-kz]\nenabled = true\nplaces = ["almaty", "shymkent"]\n')
    settings = load_settings(str(path), env={})
    provider = build_provider("kurs-kz", settings)
    assert isinstance(provider, KursBoard)
    assert provider.options.places == ("almaty", "shymkent")
    assert isinstance(build_provider("fx-kg", Settings()), FxBoard)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("nbt-banks", 'token = "x"'),  # its record names no token
        ("fx-kg", 'places = ["bishkek"]'),  # nor cities
        ("bank-uz", "backfill_concurrency = 1"),  # a board has no history
        ("nbk", 'token = "x"'),  # a rate source takes neither
    ],
)
def test_a_source_takes_only_its_own_keys(section: str, key: str) -> None:
    toml = __import__("tomllib").loads(f"[providers.{section}]\n{key}\n")
    name = key.split(" ")[0]
    with pytest.raises(ConfigError, match=rf"providers\.{section}\.{name}: expected one of the"):
        parse_config(toml, "config.toml")


def test_a_market_source_never_routes_a_rate() -> None:
    with pytest.raises(ConfigError, match=re.escape("routing.TJS[0]: expected one of nbkr")):
        parse_config({"routing": {"TJS": ["nbt-banks", "nbt"]}}, "config.toml")


def test_market_defaults_come_from_the_records() -> None:
    s = Settings()
    for name, source in MARKET.items():
        conf = s.providers[name]
        assert (conf.interval, conf.timeout, conf.base_url) == (
            source.interval,
            source.timeout,
            source.base_url,
        )
        assert conf.enabled is not source.third_party
