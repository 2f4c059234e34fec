"""The NiceGUI entry point (also the ``main_file`` of the UI tests)."""

from __future__ import annotations

from nicegui import ui

from workshop.app import build
from workshop.gzip import fast_gzip
from workshop.settings import get_settings

build()

if __name__ in {"__main__", "__mp_main__"}:
    settings = get_settings()
    ui.run(
        host=settings.host,
        port=settings.port,
        title="Werkplaats",
        storage_secret=settings.secret(),
        # behind HTTPS the session cookie is sent over HTTPS only
        session_middleware_kwargs={"https_only": settings.https()},
        reload=False,
        show=False,
        show_welcome_message=False,
        language="nl",
        favicon="🪑",
        gzip_middleware_factory=fast_gzip,
        # the Tailwind classes come prebuilt (assets/css/tailwind.css, scripts/build-tailwind.sh):
        # no Tailwind compiler downloaded and run by every phone before its page is styled
        tailwind=False,
        # no permessage-deflate on the websockets, though every browser offers it: a compressor per
        # phone was ~220 KB of server memory, and 5–20 % more CPU per placement (docs/benchmarks.md),
        # for updates of a few KB each
        ws_per_message_deflate=False,
    )
