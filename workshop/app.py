"""Assemble the NiceGUI app: pages, API, static files, and the services' lifecycle."""

from __future__ import annotations

import logging

from nicegui import app, ui

from workshop import services, tuning
from workshop.layout import setup_static

log = logging.getLogger(__name__)

PHONE_RESPONSE_TIMEOUT = 30.0  # seconds a phone's page may take to build before NiceGUI gives up


def build() -> None:
    """Register pages, API and lifecycle (again after the test harness resets NiceGUI)."""
    from workshop import api, metrics
    from workshop.pages import handout, host, landing, participant, replay, screen
    from workshop.settings import get_settings

    tuning.install()
    # A whole room opens these at once (the QR code): under a burst a page can wait for the event
    # loop longer than NiceGUI's default 3 s, and then a late page beats an error page.
    ui.page("/", response_timeout=PHONE_RESPONSE_TIMEOUT)(landing.landing)
    ui.page("/room/{code}", reconnect_timeout=get_settings().phone_reconnect_timeout,
            response_timeout=PHONE_RESPONSE_TIMEOUT)(participant.participant_page)
    ui.page("/host/{code}")(host.host_page)
    ui.page("/screen/{code}", dark=True)(screen.screen_page)
    ui.page("/replay/{code}")(replay.replay_page)
    ui.page("/handout/{code}")(handout.handout_page)
    setup_static()
    app.include_router(api.router)
    app.include_router(metrics.router)
    metrics.install()
    app.on_startup(services.begin)
    app.on_startup(tuning.collect_in_the_background)
    app.on_shutdown(services.stop)
