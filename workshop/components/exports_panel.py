"""The host's "after the session" panel: exports as RQ jobs with progress, replay, anonymity, delete."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from nicegui import ui
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry

from rooms import jobs
from rooms.commands import Rejected
from rooms.models import RoomState
from workshop.i18n import Tr
from workshop.services import services

log = logging.getLogger(__name__)

FORMAT_LABELS = {
    "json": "JSON (alles, opnieuw in te lezen)",
    "csv": "CSV",
    "xlsx": "Excel",
    "pdf": "PDF-verslag",
}


# how RQ records a job whose worker or work-horse died under it
WORKER_DIED = ("AbandonedJobError", "Work-horse terminated unexpectedly", "work-horse process was terminated")
INTERRUPTED = "interrupted"


@dataclass
class Tracked:
    job_id: str
    fmt: str
    group: int | None
    row: ui.row
    progress: ui.linear_progress
    status: ui.label
    done: bool = False


def _fetch(job_id: str) -> tuple[str, float, str, dict[str, Any] | None]:
    """(status, progress, error, result) of a job; runs in a thread (RQ is synchronous)."""
    queue = services().queue
    assert queue is not None
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return "gone", 0.0, "", None
    raw_status = job.get_status(refresh=True)
    status = str(getattr(raw_status, "value", raw_status))  # JobStatus is a str enum
    if status == "started":
        # a worker that died (one of ``workshop worker``, not the app's own: the app fails those at
        # once) leaves its job "started" until its heartbeat expires: fail it then, not at RQ's
        # maintenance minutes later
        StartedJobRegistry(queue=queue).cleanup()
        raw_status = job.get_status(refresh=True)
        status = str(getattr(raw_status, "value", raw_status))
    progress = float(job.meta.get("progress", 0.0))
    error = ""
    result = None
    if status == "failed":
        latest = job.latest_result()
        text = ((latest.exc_string if latest else "") or "").strip()
        lines = [line for line in text.splitlines() if line]
        error = INTERRUPTED if any(sign in text for sign in WORKER_DIED) else lines[-1] if lines else "unknown error"
    elif status == "finished":
        value = job.return_value()
        result = value if isinstance(value, dict) else None
    return status, progress, error, result


class ExportsPanel:
    def __init__(self, code: str, token: str, t: Tr, state: Any) -> None:
        self.code = code
        self.token = token
        self.t = t
        self.state = state  # a callable returning the room's current state
        self.tracked: list[Tracked] = []
        with ui.card().classes("w-full").props("data-testid=after-session"):
            ui.label(t("Na afloop")).classes("text-lg font-bold")
            with ui.row().classes("items-center gap-2"):
                ui.link(t("Terugkijken (replay)"), f"/replay/{code}?t={token}"
                        + ("&lang=en" if t.lang == "en" else ""), new_tab=True).props("data-testid=replay-link")
                self.anonymous = ui.checkbox(
                    t("Namen vervangen door 'Deelnemer 1…' in exports"),
                    on_change=self.set_anonymous,
                ).props("data-testid=anonymous")
            with ui.row().classes("items-center gap-2"):
                for fmt, label in FORMAT_LABELS.items():
                    ui.button(t(label), on_click=lambda f=fmt: self.export(f)).props(
                        f"data-testid=export-{fmt} outline no-caps")
                self.group_select = ui.select({}, label=t("Groep")).props(
                    "data-testid=export-group dense outlined").classes("w-32")
                ui.button(t("PDF van de groep"), on_click=self.export_group).props(
                    "data-testid=export-pdf-group outline no-caps")
            self.jobs_box = ui.column().classes("w-full gap-1").props("data-testid=export-jobs")
            with ui.row().classes("items-center gap-2 mt-2"):
                ui.button(t("Sessie en alle gegevens verwijderen"),
                          on_click=self.ask_delete).props("data-testid=delete-room color=negative flat")
        self.timer = ui.timer(0.5, self.poll, active=False)

    def refresh(self, state: RoomState) -> None:
        options = {str(g): self.t("Groep {g}", g=g) for g in state.groups()}
        if options != self.group_select.options:
            self.group_select.options = options
            self.group_select.update()
        if self.anonymous.value != state.anonymous:
            self.anonymous.value = state.anonymous

    async def set_anonymous(self) -> None:
        state: RoomState = self.state()
        if bool(self.anonymous.value) != state.anonymous:
            try:
                await services().store.set_setting(self.code, "anonymous", bool(self.anonymous.value))
            except Rejected as exc:
                ui.notify(exc.text(self.t.lang), type="warning")

    async def export_group(self) -> None:
        if not self.group_select.value:
            ui.notify(self.t("Kies eerst een groep."), type="warning")
            return
        await self.export("pdf", int(self.group_select.value))

    async def export(self, fmt: str, group: int | None = None) -> None:
        t = self.t
        try:
            job = await services().enqueue(jobs.export_room, self.code, fmt, group, t.lang)
        except (RedisError, OSError) as exc:
            log.warning("could not queue an export: %s", exc)
            ui.notify(t("Het exporteren kon niet starten; probeer het zo nog eens."), type="negative")
            return
        label = t(FORMAT_LABELS[fmt]) + (t(" · groep {group}", group=group) if group else "")
        index = len(self.tracked) + 1
        with self.jobs_box, ui.row().classes("w-full items-center gap-2 no-wrap").props(
                f"data-testid=export-job-{index}") as row:
            ui.label(label).classes("w-56")
            progress = ui.linear_progress(value=0, show_value=False).classes("w-40").props(
                f"data-testid=export-progress-{index}")
            status = ui.label(t("in de wachtrij")).classes("text-sm").props(
                f"data-testid=export-status-{index}")
        self.tracked.append(Tracked(job.id, fmt, group, row, progress, status))
        self.timer.activate()

    async def poll(self) -> None:
        pending = [j for j in self.tracked if not j.done]
        if not pending:
            self.timer.deactivate()
            return
        t = self.t
        for tracked in pending:
            try:
                status, progress, error, result = await asyncio.to_thread(_fetch, tracked.job_id)
            except (RedisError, OSError):
                continue
            tracked.progress.value = progress
            if status == "finished" and result is not None:
                tracked.done = True
                tracked.progress.value = 1.0
                size = max(1, round(int(result.get("size", 0)) / 1000))
                tracked.status.text = t("klaar ({size} kB)", size=size)
                with tracked.row:
                    ui.link(t("Download"),
                            f"/api/rooms/{self.code}/exports/{result['name']}?t={self.token}").props(
                        f"download data-testid=download-{tracked.fmt}")
            elif status in {"failed", "gone", "stopped", "canceled"}:
                tracked.done = True
                tracked.status.text = (t("mislukt: het werk werd onderbroken") if error == INTERRUPTED
                                       else t("mislukt: {v0}", v0=error or status))
                tracked.status.classes("text-[#b3261e]")
                with tracked.row:
                    ui.button(t("Opnieuw"), on_click=lambda j=tracked: self.retry(j)).props(
                        "data-testid=export-retry flat dense")
            elif status == "started":
                tracked.status.text = t("bezig…")

    async def retry(self, tracked: Tracked) -> None:
        tracked.row.delete()
        self.tracked.remove(tracked)
        await self.export(tracked.fmt, tracked.group)

    def ask_delete(self) -> None:
        t = self.t
        with ui.dialog() as dialog, ui.card():
            ui.label(t("Sessie {v0} verwijderen?", v0=self.code)).classes(
                "text-lg font-bold")
            ui.label(t("Alles van deze sessie verdwijnt: deelnemers, keuzes, teksten, het verloop, exports "
                       "en archief. Dit kan niet ongedaan worden. Exporteer eerst wat je wilt bewaren."))
            with ui.row():
                ui.button(t("Annuleren"), on_click=dialog.close).props("flat data-testid=delete-cancel")
                ui.button(t("Definitief verwijderen"),
                          on_click=lambda: self.delete(dialog)).props("color=negative data-testid=delete-confirm")
        dialog.open()

    async def delete(self, dialog: ui.dialog) -> None:
        svc = services()
        await svc.store.delete_room(self.code)
        await asyncio.to_thread(jobs.delete_files, self.code, svc.settings.data.resolve())
        dialog.close()
        ui.navigate.to("/?deleted=" + self.code)
