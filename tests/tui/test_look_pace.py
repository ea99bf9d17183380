"""The pace of the dashboard's reads under a stream of commits (:mod:`ticker.tui.look_pace`),
on a fake clock: the app's look every second and the timer a waiting read sets, replayed
as the app runs them (``DashboardWorkers._reload_if_changed``): a look reads at once, or
sets one timer, whose look then reads."""

from __future__ import annotations

from ticker.tui.look_pace import REFRESH_GAP, LookPace

LOOK = 1.0  # ticker.tui.app.STORE_LOOK


class Dashboard:
    """The looks of a dashboard whose reads take no time (each read takes every commit
    made so far, and is shown at once)."""

    def __init__(self, commits: list[float], phase: float = 0.0) -> None:
        self.now = 0.0
        self.pace = LookPace(lambda: self.now)
        self.waiting = sorted(commits)
        self.phase = phase
        self.timer: float | None = None
        self.reads: list[tuple[float, list[float]]] = []
        """Each read: when, and the commits it showed."""

    def run(self, until: float) -> list[tuple[float, list[float]]]:
        look = self.phase
        while look <= until or (self.timer is not None and self.timer <= until):
            if self.timer is not None and self.timer <= look:
                self.now, self.timer = self.timer, None
                self.pace.due()
            else:
                self.now = look
                look += LOOK
            self._look()
        return self.reads

    def _look(self) -> None:
        wait = self.pace.look(lambda: any(c <= self.now for c in self.waiting))
        if wait == 0.0:
            started = self.pace.started()
            seen = [c for c in self.waiting if c <= self.now]
            self.waiting = [c for c in self.waiting if c > self.now]
            self.pace.refreshed(started)
            self.reads.append((self.now, seen))
        elif wait is not None:
            assert self.timer is None  # one read waits, never two
            self.timer = self.now + wait


def test_two_commits_close_together_are_one_read() -> None:
    reads = Dashboard([10.2, 10.5, 11.4, 11.7]).run(20.0)
    # After a quiet spell at the next look; then no sooner than 3 s after that read.
    assert REFRESH_GAP == 3.0
    assert reads == [(11.0, [10.2, 10.5]), (14.0, [11.4, 11.7])]


def test_a_commit_after_a_quiet_spell_is_read_at_the_next_look() -> None:
    reads = Dashboard([5.5, 20.3], phase=0.25).run(30.0)
    assert reads == [(6.25, [5.5]), (21.25, [20.3])]


def test_no_commit_no_read() -> None:
    assert Dashboard([]).run(60.0) == []


def test_a_stream_of_commits_is_on_screen_within_the_gap_in_a_third_of_the_reads() -> None:
    for phase in (0.0, 0.13, 0.5, 0.87, 0.999):
        for offset in (0.0, 0.01, 0.4, 0.99):
            commits = [offset + i for i in range(60)]  # one a second, for a minute
            reads = Dashboard(commits, phase).run(70.0)
            shown = [c for _, seen in reads for c in seen]
            assert shown == commits  # every one, in order
            assert all(at - c <= REFRESH_GAP + 1e-9 for at, seen in reads for c in seen)
            times = [at for at, _ in reads]
            assert all(b - a >= REFRESH_GAP - 1e-9 for a, b in zip(times, times[1:], strict=False))
            assert len(reads) <= 21  # 60 commits, one read every 3 s


def test_commits_at_uneven_times_are_all_on_screen_within_two_seconds() -> None:
    gaps = [0.1, 0.3, 1.7, 0.05, 2.5, 0.9, 0.2, 4.0, 1.1, 0.6] * 6
    commits = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    for phase in (0.0, 0.3, 0.7):
        reads = Dashboard(commits, phase).run(commits[-1] + 5)
        assert [c for _, seen in reads for c in seen] == commits
        assert all(at - c <= REFRESH_GAP + 1e-9 for at, seen in reads for c in seen)
