"""A backfill started from the dashboard: ``b`` fetches a year of history from every
enabled source (the same work as ``ticker backfill --since 1y``:
:class:`ticker.core.backfill.Backfill`) in a worker on the app's loop.

While it runs, a panel under the rates table says each source's requests done of those
planned, and the store is read again after each batch stored, so the table fills in as the
rows land. ``b`` again, or Escape, stops it: what was fetched is stored first, and a later
``b`` resumes where it stopped. A read-only store, or another backfill of the same store
(``ticker backfill``, another dashboard: :mod:`ticker.storage.backfill_lock`), is said
and nothing is fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.worker import Worker

from ticker.display.backfill import estimate_text
from ticker.errors import StorageError, TickerError
from ticker.i18n.dates import day_month_year
from ticker.i18n.numbers import localised
from ticker.i18n.words import _, ngettext
from ticker.tui.lazy import load_store_modules
from ticker.tui.widgets.backfill import BackfillPanel
from ticker.tui.workers import DashboardWorkers

if TYPE_CHECKING:
    from ticker.core.backfill import Backfill
    from ticker.core.backfill_progress import ProviderProgress

#: How often the panel is redrawn while a backfill runs (seconds).
PANEL_EVERY = 0.5


@dataclass
class BackfillStored(Message):
    """A batch of the backfill's rows is stored (posted from the storing thread)."""

    provider: str
    rows: int


class DashboardBackfill(DashboardWorkers):
    """The dashboard's backfill (the app: :class:`ticker.tui.app.TickerApp`)."""

    backfill_job: Backfill | None = None
    """The backfill running (None: none)."""
    _backfill_worker: Worker[None] | None = None
    _backfill_since: date | None = None

    @property
    def backfilling(self) -> bool:
        worker = self._backfill_worker
        return worker is not None and not worker.is_finished

    def toggle_backfill(self) -> None:
        """``b``: start a backfill of a year, or stop the one running."""
        if self.backfilling:
            self.stop_backfill()
        else:
            self._backfill_worker = self.run_backfill()

    def stop_backfill(self) -> None:
        """Escape (or ``b`` again): what was fetched is stored, then it stops."""
        worker = self._backfill_worker
        if worker is not None and not worker.is_finished:
            self.notify(_("Stopping the backfill: what was fetched is stored first"), timeout=4)
            worker.cancel()

    @work(exclusive=True, group="backfill", exit_on_error=False)
    async def run_backfill(self) -> None:
        await asyncio.to_thread(load_store_modules, True)
        from ticker.core.backfill import Backfill
        from ticker.core.backfill_plan import a_year_back
        from ticker.core.net import make_client
        from ticker.core.registry import build_providers
        from ticker.storage.backfill_lock import BackfillLock

        today = self.now().date()
        since = self._backfill_since = a_year_back(today)
        try:
            repo = await asyncio.to_thread(lambda: self.session.repo)
            if repo.db.read_only:
                raise StorageError(
                    _(
                        "the store is read-only: this dashboard shows it but cannot write "
                        "history into it (run ticker backfill --since 1y where it is writable)"
                    )
                )
            lock = BackfillLock(repo)
            await asyncio.to_thread(lock.take, self.now())
        except TickerError as err:
            self.notify(
                _("Not started: {reason}").format(reason=err),
                title=_("Backfill"),
                severity="warning",
                timeout=10,
            )
            return
        panel = BackfillPanel(id="backfill")
        timer = None
        job: Backfill | None = None
        ended = ""  # done, stopped; why it stopped: ``failure``
        failure = ""
        try:
            providers = build_providers(self.settings, now=self.now, references=False)
            await self.dashboard.query_one("#body").mount(panel, after="#rates")
            async with make_client(self.transport) as client:
                job = self.backfill_job = Backfill(
                    repo,
                    client,
                    self.settings,
                    providers,
                    since,
                    today,
                    now=self.now,
                    on_stored=self._backfill_stored,
                )
                await job.plan()
                self._show_backfill()
                timer = self.set_interval(PANEL_EVERY, self._show_backfill)
                await job.run()
            ended = "done"
        except StorageError as err:  # the store refused a write: every source stopped
            ended, failure = "stopped", str(err)
        except asyncio.CancelledError:
            ended = "stopped"
            raise
        finally:
            if timer is not None:
                timer.stop()
            lock.release()
            self.backfill_job = None
            await panel.remove()
            if job is not None:
                self._said_backfill(job, ended or "stopped", failure, today)
            self.load_snapshot()

    def _backfill_stored(self, provider: str, rows: int) -> None:
        self.post_message(BackfillStored(provider, rows))  # from the storing thread

    def _show_backfill(self) -> None:
        job = self.backfill_job
        if job is None:
            return
        # The sources with history to ask for (or already stored), not those without any.
        progress = {n: p for n, p in job.progress.items() if n in (job.units or {})}
        planned = [p for p in progress.values() if p.total]
        done = sum(p.done for p in planned)
        requests = sum(p.requests for p in planned)  # as the CLI's estimate counts them
        longest = max((p.estimate for p in planned), default=0.0)
        stored = sum(p.stored for p in progress.values())
        key = self._backfill_key()
        header = [
            _("Backfill of a year, since {day}").format(day=day_month_year(job.since)),
            estimate_text(requests, longest),
            _("{n} done").format(n=localised(f"{done:,}")),
            ngettext("{n} row stored", "{n} rows stored", stored).format(
                n=localised(f"{stored:,}")
            ),
            _("{key} or Esc stops").format(key=key),
        ]
        for panel in self.dashboard.query(BackfillPanel):
            panel.show(header, progress)

    def _backfill_key(self) -> str:
        return self.settings.keys.get("backfill", "b").split(",")[0]

    @on(BackfillStored)
    def backfill_stored(self) -> None:
        self.load_snapshot()  # the table fills in as the rows land

    def _said_backfill(self, job: Backfill, ended: str, failure: str, today: date) -> None:
        """One notification: what was stored, what failed, what is not out yet."""
        progress = job.progress
        key = self._backfill_key()
        stored = sum(p.stored for p in progress.values())
        fields = {
            "n": localised(f"{stored:,}"),
            "since": day_month_year(job.since),
            "today": day_month_year(today),
            "reason": failure,
        }
        if ended == "done":
            said = ngettext(
                "Backfill done: {n} new row stored, {since} to {today}",
                "Backfill done: {n} new rows stored, {since} to {today}",
                stored,
            )
        elif failure:
            said = ngettext(
                "Backfill stopped ({reason}): {n} new row stored, {since} to {today}",
                "Backfill stopped ({reason}): {n} new rows stored, {since} to {today}",
                stored,
            )
        else:
            said = ngettext(
                "Backfill stopped: {n} new row stored, {since} to {today}",
                "Backfill stopped: {n} new rows stored, {since} to {today}",
                stored,
            )
        words = [said.format(**fields)]
        failed = _names(p for p in progress.values() if p.failures)
        if failed:
            count = sum(len(p.failures) for p in progress.values())
            words.append(
                ngettext(
                    "{n} request failed ({sources}): {key} asks again",
                    "{n} requests failed ({sources}): {key} asks again",
                    count,
                ).format(n=localised(f"{count:,}"), sources=failed, key=key)
            )
        later = _names(p for p in progress.values() if p.unpublished)
        if later:
            words.append(
                _("not published yet at {sources}: {key} asks again later").format(
                    sources=later, key=key
                )
            )
        if ended != "done" and not failed:
            words.append(_("{key} resumes where it stopped").format(key=key))
        calm = ended == "done" and not failed
        self.notify(
            "; ".join(words),
            title=_("Backfill"),
            severity="information" if calm else "warning",
            timeout=15,
        )


def _names(progress: Iterable[ProviderProgress]) -> str:
    return ", ".join(p.provider for p in progress)
