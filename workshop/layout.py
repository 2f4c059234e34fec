"""The frame every page shares."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nicegui
from nicegui import Client, app, context, ui
from starlette.requests import Request

from workshop.i18n import LANGS

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SESSION_COOKIE = "session"  # Starlette's SessionMiddleware, which NiceGUI's storage uses


def setup_static() -> None:
    app.add_static_files("/assets/templates", str(ASSETS / "templates"))
    app.add_static_files("/assets", str(ASSETS / "css"))
    # darker than Quasar's defaults, so white text on buttons and blue text on white pass WCAG AA;
    # once for the app (Quasar's brand), not an element and a script per page
    app.colors(primary="#0b5cad", secondary="#1b7f3b", accent="#6a1b9a", positive="#1b7f3b",
               negative="#b3261e", warning="#8a5300", info="#0b5cad")


# Timers count down in the browser: an element with ``data-ends`` (server epoch seconds) shows the
# time left. One interval per page, no server work per tick; the page learns the server's clock
# when it loads so a phone with a wrong clock still counts right.
COUNTDOWN_JS = """<script>
window.wpSkew = %r - Date.now() / 1000;
setInterval(function () {
  document.querySelectorAll('[data-ends]').forEach(function (el) {
    var end = parseFloat(el.dataset.ends) || 0;
    if (!end) { if (el.textContent) el.textContent = ''; return; }
    var left = end - (Date.now() / 1000 + window.wpSkew);
    // a timer that ran out a while ago is over: no red 0:00 into the next exercises
    if (left < -%d) { if (el.textContent) el.textContent = ''; el.classList.remove('wp-timer-done'); return; }
    var s = Math.max(0, Math.round(left));
    var text = '\u23F1 ' + Math.floor(s / 60) + ':' + String(s %% 60).padStart(2, '0');
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('wp-timer-done', s === 0);
  });
}, 500);
</script>"""


EXPIRED_SHOWN_SECONDS = 60  # how long an expired timer stays on show as a red 0:00

# Network loss: NiceGUI's socket.io client keeps what a person does while offline and sends it on
# reconnect; the server still has the page for ``phone_reconnect_timeout``, so it is applied then.
# After longer, the page reloads from Redis and what was done offline is gone: the person is told so.
CONNECTION_JS = """<script>
(function () {
  // the page's language (set on <html> by the page), else ?lang=en
  function en() {
    var lang = document.documentElement.getAttribute('lang') || new URLSearchParams(location.search).get('lang') || '';
    return lang.indexOf('en') === 0;
  }
  function text(key) {
    var e = en();
    return {
      offline: e ? 'No connection. What you do now is sent as soon as you are connected again.'
                 : 'Geen verbinding. Wat je nu doet, wordt verstuurd zodra je weer verbonden bent.',
      reconnecting: e ? 'Connection lost. Trying to reconnect…' : 'Verbinding weg. We proberen opnieuw te verbinden…',
      saved: e ? 'Connected again: your changes are saved.' : 'Weer verbonden: je wijzigingen zijn opgeslagen.',
      lost: e ? 'Changes you made without a connection were NOT saved. Please check your answers.'
              : 'Wat je zonder verbinding deed, is NIET opgeslagen. Kijk je antwoorden nog even na.'
    }[key];
  }
  function banner(message, kind) {
    var el = document.getElementById('wp-conn');
    if (!el) {
      el = document.createElement('div');
      el.id = 'wp-conn';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'assertive');
      el.setAttribute('data-testid', 'connection');
      document.body.appendChild(el);
    }
    el.textContent = message;
    el.className = 'wp-conn ' + (kind || '');
    el.style.display = message ? 'block' : 'none';
  }
  function connected() { return !!(window.socket && window.socket.connected); }
  function acted() {
    if (!connected()) { sessionStorage.setItem('wp-unsaved', '1'); banner(text('offline'), 'warn'); }
  }
  ['change', 'input', 'click', 'keyup'].forEach(function (type) { document.addEventListener(type, acted, true); });
  window.addEventListener('load', function () {
    if (sessionStorage.getItem('wp-unsaved')) {  // the page was reloaded before it could send them
      sessionStorage.removeItem('wp-unsaved');
      banner(text('lost'), 'bad');
    }
  });
  var since = 0, away = 0, told = false;
  setInterval(function () {
    // Quasar's loading bar is a progressbar without a name: give it one
    document.querySelectorAll('.q-loading-bar:not([aria-label])').forEach(function (el) {
      el.setAttribute('aria-label', en() ? 'Loading' : 'Bezig met laden');
    });
    if (!window.socket) return;
    if (!connected()) {
      since = 0;
      away = away || Date.now();
      // NiceGUI's own (English) popup is hidden by our css: say it here, in the person's language
      if (Date.now() - away > 1000 && !sessionStorage.getItem('wp-unsaved') && !told) {
        told = true;
        banner(text('reconnecting'), 'warn');
      }
      return;
    }
    away = 0;
    if (told && !sessionStorage.getItem('wp-unsaved')) { told = false; banner('', ''); }
    since = since || Date.now();
    // connected for 2 s without a reload: the server took the page back and what was queued arrived
    if (Date.now() - since > 2000 && sessionStorage.getItem('wp-unsaved')) {
      sessionStorage.removeItem('wp-unsaved');
      told = false;
      banner(text('saved'), 'ok');
      setTimeout(function () { banner('', ''); }, 6000);
    }
  }, 300);
})();
</script>"""


NICEGUI_STATIC = Path(nicegui.__file__).resolve().parent / "static"


def nicegui_static(name: str) -> str:
    """The address of one of NiceGUI's static files (versioned, so cached for a year)."""
    return f"/_nicegui/{nicegui.__version__}/static/{name}"


def _roboto_file() -> str:
    """The Roboto file that every page's Latin text is drawn in (NiceGUI's fonts.css: one variable
    font for all weights), relative to NiceGUI's static folder; "" if NiceGUI ships it otherwise."""
    try:
        css = (NICEGUI_STATIC / "fonts.css").read_text()
    except OSError:
        return ""
    for face in re.findall(r"@font-face\s*{([^}]*)}", css):
        if ('"Roboto"' in face and "font-style: normal" in face and "font-weight: 400" in face
                and "unicode-range: U+0000-00FF," in face):
            found = re.search(r"url\((fonts/[0-9a-f]+\.woff2)\)", face)
            if found and (NICEGUI_STATIC / found.group(1)).is_file():
                return found.group(1)
    return ""


ROBOTO_FILE = _roboto_file()
# Quasar's text waits for the font (no font-display), and the browser asks for it only once the
# page's elements are mounted; preloaded, it arrives beside the scripts and the first text paints
# as soon as they have run.
ROBOTO_PRELOAD = (f'<link rel="preload" href="{nicegui_static(ROBOTO_FILE)}" as="font" type="font/woff2" '
                  'crossorigin>') if ROBOTO_FILE else ""


def head() -> None:
    ui.add_head_html(ROBOTO_PRELOAD + '<link rel="stylesheet" href="/assets/tailwind.css">'
                     '<link rel="stylesheet" href="/assets/werkplaats.css">')
    ui.add_head_html(COUNTDOWN_JS % (time.time(), EXPIRED_SHOWN_SECONDS))
    ui.add_head_html(CONNECTION_JS)


def choose_lang(asked: str, room_default: str | None = None) -> str:
    """Each person's language: what they asked for (remembered for this browser), else what they
    chose before, else the room's, else Dutch."""
    storage: dict[str, object] | None
    try:
        storage = app.storage.user
    except (AssertionError, RuntimeError):  # no storage (e.g. outside a page)
        storage = None
    if asked in LANGS:
        # remembered only for a browser that came back with its cookie: a request without one (a
        # first visit, a crawler) would leave a storage file per request that nothing removes
        if storage is not None and _has_session_cookie() and storage.get("lang") != asked:
            storage["lang"] = asked
        return asked
    remembered = storage.get("lang") if storage is not None else None
    if isinstance(remembered, str) and remembered in LANGS:
        return remembered
    return room_default if room_default in LANGS else "nl"


def _has_session_cookie() -> bool:
    try:
        request = context.client.request
    except RuntimeError:
        return False
    return request is not None and SESSION_COOKIE in request.cookies


def lang_switch(client: Client, lang: str) -> None:
    """A link to the same page in the other language (the person's own choice)."""
    other = "en" if lang == "nl" else "nl"
    request = client.request
    url = str(request.url.include_query_params(lang=other)) if request is not None else f"?lang={other}"
    path = url[url.index("/", url.index("//") + 2):] if "//" in url else url
    ui.link("English" if other == "en" else "Nederlands", path).props(
        f'data-testid=lang-switch lang={other} hreflang={other}').classes("text-sm")


@contextmanager
def frame(title: str, *, wide: bool = False, client: Client | None = None, lang: str = "nl") -> Iterator[None]:
    head()
    ui.page_title(f"{title} · Werkplaats")
    ui.query("html").props(f"lang={lang}")
    with ui.header().classes("items-center justify-between bg-white text-black shadow-sm"):
        ui.label("Werkplaats").classes("text-lg font-bold text-[#0b5cad]")
        with ui.row().classes("items-center gap-4"):
            ui.label(title).classes("text-base")
            if client is not None:
                lang_switch(client, lang)
    with ui.column().classes(("wp-wide" if wide else "wp-page") + " p-3 gap-4"):
        yield


def client_address(client: Client) -> str:
    """The address a request came from; behind trusted proxies, the one the nearest of them saw."""
    request = client.request
    return "unknown" if request is None else request_address(request)


def request_address(request: Request) -> str:
    """``client_address`` of a plain request (a form's POST)."""
    from workshop.settings import get_settings

    peer = request.client.host if request.client else "unknown"
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), get_settings().proxy_hops())


def forwarded_client(peer: str, forwarded: list[str], hops: int) -> str:
    """The client's address behind ``hops`` trusted proxies: each proxy appends the address it saw
    to X-Forwarded-For, so the entry ``hops`` from the right (counting the peer itself) is the
    right-most one no client wrote. Whatever a client puts in front of it is ignored."""
    chain = [entry.strip() for value in forwarded for entry in value.split(",") if entry.strip()]
    chain.append(peer)
    return chain[max(len(chain) - 1 - hops, 0)][:64]


def browser_id() -> str:
    """The browser's session id (signed cookie): who a phone is, across reloads and replicas."""
    return str(app.storage.browser["id"])


def error_block(message: str, testid: str = "page-error") -> ui.label:
    return ui.label(message).classes("wp-error").props(f"data-testid={testid} role=alert")
