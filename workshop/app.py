"""Assemble the NiceGUI app: pages, API, static files, and the services' lifecycle."""

from __future__ import annotations

import logging

from nicegui import app, ui

from workshop import outage, security, services, tuning
from workshop.layout import setup_static
from workshop.outage import guarded

log = logging.getLogger(__name__)

PHONE_RESPONSE_TIMEOUT = 30.0  # seconds a phone's page may take to build before NiceGUI gives up


def build() -> None:
    """Register pages, API and lifecycle (again after the test harness resets NiceGUI)."""
    from workshop import api, metrics
    from workshop.pages import handout, host, join_page, landing, participant, replay, screen
    from workshop.settings import get_settings

    tuning.install()
    security.install()  # headers, upload cap, socket JSON, no token in a log line
    # A whole room opens these at once (the QR code): under a burst a page can wait for the event
    # loop longer than NiceGUI's default 3 s, and then a late page beats an error page.
    ui.page("/", response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(landing.landing))
    ui.page("/room/{code}", reconnect_timeout=get_settings().phone_reconnect_timeout,
            response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(participant.participant_page))
    # the same for the other pages: NiceGUI's default (3 s) answers a page that waits on a slow or
    # restarting Redis with a 500; with time to finish, it is the page or the 503 of ``guarded``
    ui.page("/host/{code}", response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(host.host_page))
    ui.page("/screen/{code}", dark=True, response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(screen.screen_page))
    ui.page("/replay/{code}", response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(replay.replay_page))
    ui.page("/handout/{code}", response_timeout=PHONE_RESPONSE_TIMEOUT)(guarded(handout.handout_page))
    outage.install(app)
    setup_static()
    app.include_router(api.router)
    app.include_router(join_page.router)
    app.include_router(metrics.router)
    metrics.install()
    app.on_startup(services.begin)
    app.on_startup(tuning.collect_in_the_background)
    app.on_shutdown(services.stop)
