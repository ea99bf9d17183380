"""Usage that is not what the user meant is refused, not run: an option that needs another,
a command group without its action."""

from __future__ import annotations

import pytest

from tests.helpers.cli import ticker


def test_every_without_follow_is_refused() -> None:
    done = ticker("strip", "--every", "5")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "ticker: --every: goes with --follow (a strip without it looks once)\n"


@pytest.mark.parametrize(("group", "action"), [("alerts", "add"), ("config", "check")])
def test_a_group_without_its_action_is_a_usage_error(group: str, action: str) -> None:
    done = ticker(group)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"usage: ticker {group} ")
    assert f"\n    {action} " in done.stderr  # the actions to choose from
    # Asked for, the help is data: stdout, exit 0.
    helped = ticker(group, "--help")
    assert helped.returncode == 0 and helped.stdout.startswith(f"usage: ticker {group} ")
    assert helped.stderr == ""
