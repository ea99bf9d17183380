"""The settings' records (:mod:`providers.record`) are the dataclasses the standard
decorator makes, their methods shared: each is checked here against the same class made
by ``dataclasses.dataclass(frozen=True, slots=True)``."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import timedelta
from typing import Any

import pytest

from providers.record import Frozen, Mutable
from providers.record import dataclass as record
from ticker.config import Settings
from ticker.config.schema import DisplaySettings, SanitySettings, TelegramSettings


def _twins() -> tuple[Any, Any]:
    """One class made both ways: a required field, a default, a factory, a hidden one."""

    class Feed(Frozen):
        """A feed."""

        name: str
        every: timedelta = timedelta(minutes=5)
        tags: list[str] = dataclasses.field(default_factory=lambda: ["a"])
        secret: str = dataclasses.field(default="", repr=False)

    ours = record(frozen=True, slots=True)(Feed)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Feed2:
        """A feed."""

        name: str
        every: timedelta = timedelta(minutes=5)
        tags: list[str] = dataclasses.field(default_factory=lambda: ["a"])
        secret: str = dataclasses.field(default="", repr=False)

    return ours, Feed2


def test_a_record_is_a_dataclass_read_as_any() -> None:
    ours, _ = _twins()
    feed = ours("nbk", secret="s")
    assert dataclasses.is_dataclass(ours("x")) and dataclasses.is_dataclass(Settings())
    assert [f.name for f in dataclasses.fields(feed)] == ["name", "every", "tags", "secret"]
    assert ours.__match_args__ == ("name", "every", "tags", "secret")
    assert dataclasses.asdict(feed) == {
        "name": "nbk",
        "every": timedelta(minutes=5),
        "tags": ["a"],
        "secret": "s",
    }
    moved = dataclasses.replace(feed, every=timedelta(minutes=1))
    assert (moved.name, moved.every, moved.secret) == ("nbk", timedelta(minutes=1), "s")
    assert feed.tags is not ours("x").tags  # a factory's value is made for each record


def test_its_repr_equality_and_hash_are_the_standard_ones() -> None:
    ours, theirs = _twins()
    a, b = ours("nbk", timedelta(1), secret="s"), theirs("nbk", timedelta(1), secret="s")
    assert repr(a) == repr(b).replace("Feed2", "Feed")
    assert repr(a).endswith(".Feed(name='nbk', every=datetime.timedelta(days=1), tags=['a'])")
    assert a == ours("nbk", timedelta(1), secret="s")
    assert a != ours("nbk", timedelta(1), secret="t")
    assert a != b  # another class, as between two dataclasses
    assert (a == ("nbk",)) is False
    assert hash(DisplaySettings()) == hash(DisplaySettings())
    with pytest.raises(TypeError, match="unhashable type: 'dict'"):  # as a dataclass's
        hash(SanitySettings())
    assert {TelegramSettings(): 1}[TelegramSettings()] == 1


def test_it_is_frozen_and_pickles_like_one() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'path'"):
        settings.path = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'path'"):
        del settings.path
    assert pickle.loads(pickle.dumps(settings.storage)) == settings.storage
    assert copy.deepcopy(settings) == settings
    assert dataclasses.replace(settings, path=None) == settings


def test_its_arguments_are_read_as_the_generated_init_reads_them() -> None:
    ours, _ = _twins()
    assert ours("nbk", timedelta(2)).every == timedelta(2)
    assert ours(name="nbk", secret="s").secret == "s"
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
        ours()
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        ours("nbk", nmae="x")
    with pytest.raises(TypeError, match="multiple values for argument 'name'"):
        ours("nbk", name="x")
    with pytest.raises(TypeError, match="positional arguments"):
        ours("nbk", timedelta(1), ["b"], "s", "extra")


def test_only_slotted_records_deriving_from_their_base_are_made() -> None:
    class Plain:
        """Not a Frozen."""

        name: str

    with pytest.raises(TypeError, match="derives from Frozen"):
        record(frozen=True, slots=True)(Plain)
    with pytest.raises(TypeError, match="derives from Mutable"):
        record(frozen=False, slots=True)(Plain)
    with pytest.raises(TypeError, match="slotted"):
        record(frozen=True, slots=False)


def _mutable_twins() -> tuple[Any, Any]:
    class Health(Mutable):
        """A health."""

        provider: str
        failures: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

    ours = record(frozen=False, slots=True)(Health)

    @dataclasses.dataclass(slots=True)
    class Health2:
        """A health."""

        provider: str
        failures: int = 0
        tags: list[str] = dataclasses.field(default_factory=list)

    return ours, Health2


def test_a_mutable_record_is_the_standard_mutable_dataclass() -> None:
    ours, theirs = _mutable_twins()
    a, b = ours("nbk", 2), theirs("nbk", 2)
    assert repr(a) == repr(b).replace("Health2", "Health")
    assert a == ours("nbk", 2) and a != ours("nbk", 3) and a != b
    a.failures += 1  # its fields may be set, as a mutable dataclass's
    assert a == ours("nbk", 3)
    assert ours.__hash__ is None and theirs.__hash__ is None  # unhashable, as theirs
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)
    with pytest.raises(AttributeError):
        a.other = 1  # slotted: no other attribute
    assert a.tags is not ours("x").tags
    assert dataclasses.replace(a, provider="cbr") == ours("cbr", 3)
    assert [f.name for f in dataclasses.fields(a)] == ["provider", "failures", "tags"]
