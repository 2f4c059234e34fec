"""The QR code's name form as plain HTML (no NiceGUI bundle), and the pages that say why there is none.

A whole room opens this page at once, on phones on the venue's Wi-Fi. Built as a NiceGUI page it
needed Vue, Quasar and their fonts (~350 KiB, 18 requests) before its first paint; this is one small
document that paints as it arrives and works without a script. ``/room/{code}`` serves it to a
browser that has not joined (``pages.participant``); the form posts to ``/room/{code}/join``
(``pages.join_page``), which answers with the same form and the message, or sends the browser back
to ``/room/{code}``, where it now gets the NiceGUI phone page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from rooms.commands import Rejected
from rooms.models import NAME_MAX
from rooms.templates import Role
from workshop.i18n import Tr
from workshop.layout import NICEGUI_STATIC, ROBOTO_FILE, nicegui_static
from workshop.links import join_key_matches
from workshop.services import ready

# The look of the NiceGUI pages (brand blue, the card, the button) in a few lines, inline: a
# stylesheet of its own would be a second request before the first paint. The system font, not
# Roboto: a font file would hold the text back on a slow connection.
STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f6f8;
line-height:1.4}
header{display:flex;align-items:center;justify-content:space-between;gap:1rem;min-height:3.75rem;padding:.5rem 1rem;
background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.wp-brand{font-size:1.125rem;font-weight:700;color:#0b5cad}
.wp-where{display:flex;align-items:center;gap:1rem;font-size:1rem;white-space:nowrap}
a{color:#0b5cad}
.wp-where a{font-size:.875rem}
main{max-width:36rem;margin:0 auto;padding:.75rem}
.wp-card{background:#fff;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.2);padding:1rem;margin-bottom:1rem}
h1{font-size:1.25rem;margin:0 0 .5rem}
.wp-title{font-size:1.125rem;margin:0 0 1rem}
label.wp-field{display:block;font-size:1rem;margin:.5rem 0 .25rem}
input[type=text]{width:100%;font:inherit;font-size:1.125rem;padding:.75rem;border:1px solid #6b6b6b;border-radius:4px}
input[type=text]:focus{outline:2px solid #0b5cad;outline-offset:0;border-color:#0b5cad}
input[aria-invalid=true]{border:2px solid #b3261e}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{font-size:.875rem;padding:0;margin-bottom:.25rem}
.wp-roles{display:flex;flex-wrap:wrap;gap:0 1rem}
.wp-roles label{display:flex;align-items:center;gap:.5rem;min-height:48px;font-size:1rem}
.wp-roles input{width:1.25rem;height:1.25rem;margin:0;accent-color:#0b5cad}
.wp-alert{color:#b3261e;font-weight:700;margin:1rem 0 0}
button{display:block;width:100%;margin-top:1rem;min-height:52px;font:inherit;font-size:1.125rem;font-weight:500;
text-transform:uppercase;letter-spacing:.03em;color:#fff;background:#0b5cad;border:0;border-radius:4px;cursor:pointer}
button:disabled{background:#3d6a99;cursor:wait}
button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.wp-more{font-size:.875rem;margin:0 .25rem}
"""

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Werkplaats</title>
<link rel="icon" href="data:,">
<style>{style}</style>{prefetch}</head>
<body><header><span class="wp-brand">Werkplaats</span>
<span class="wp-where"><span>{title}</span>{switch}</span></header>
<main>{body}</main></body></html>
"""


def _bundle() -> tuple[str, ...]:
    """NiceGUI's files that the phone page after joining loads (cached for a year by their
    versioned address), for the form to fetch while the person types: on a slow connection the
    phone view then follows the tap on "Meedoen" without a third of a megabyte to wait for."""
    names = ["vue.esm-browser.prod.js", "quasar.umd.prod.js", "quasar.important.prod.css",
             "quasar.unimportant.prod.css", "nicegui.css", "nicegui.js", "socket.io.min.js", "fonts.css",
             "dompurify.mjs", ROBOTO_FILE]
    ours = ("/assets/tailwind.css", "/assets/werkplaats.css")  # revalidated, but kept a few minutes when prefetched
    return tuple(nicegui_static(name) for name in names if name and (NICEGUI_STATIC / name).is_file()) + ours


PREFETCH = "".join(f'<link rel="prefetch" href="{url}">' for url in _bundle())


def page(t: Tr, title: str, body: str, switch_to: str = "", status: int = 200, *, prefetch: bool = False,
         ) -> HTMLResponse:
    """The frame: the brand, the page's title, the other language's link; never cached (it says
    who has joined and what was refused). ``prefetch``: the phone page's files come next."""
    other = "en" if t.lang == "nl" else "nl"
    switch = (f'<a href="{escape(switch_to)}" data-testid="lang-switch" lang="{other}" hreflang="{other}">'
              f'{"English" if other == "en" else "Nederlands"}</a>') if switch_to else ""
    return HTMLResponse(PAGE.format(lang=t.lang, title=escape(title), style=STYLE, switch=switch, body=body,
                                    prefetch=PREFETCH if prefetch else ""),
                        status_code=status, headers={"Cache-Control": "no-store"})


def message_page(t: Tr, title: str, text: str, *, home: bool = False, status: int = 200) -> HTMLResponse:
    """A page that only says something (an unknown room, too many wrong codes)."""
    link = (f'<p><a href="/{"?lang=en" if t.lang == "en" else ""}">{escape(t("Naar de startpagina"))}</a></p>'
            if home else "")
    return page(t, title, f'<div class="wp-card"><h1>{escape(title)}</h1>'
                f'<p class="wp-alert" data-testid="page-error" role="alert">{escape(text)}</p>{link}</div>',
                status=status)


# the reasons a refusal is about the name (the field is marked and gets the focus again)
NAME_REASONS = frozenset({"not-text", "name-empty", "name-too-long"})

# The form's own script: the tap on "Meedoen" shows at once that it is under way (the phone page
# takes a moment on a slow network) and cannot be repeated; back on this page, the button is
# itself again. After a refusal the address becomes the room's page again, so that a reload or
# the back button later asks for the form, not to send it once more.
FORM_JS = """<script>(function () {
  var form = document.getElementById("join"), button = form.querySelector("button"), label = button.textContent;
  form.addEventListener("submit", function () { button.disabled = true; button.textContent = %s; });
  addEventListener("pageshow", function () { button.disabled = false; button.textContent = label; });
  %s
})();</script>"""


def query(lang: str, key: str) -> str:
    """``?lang=…&k=…`` of those given ("" if none)."""
    query = urlencode({n: v for n, v in (("lang", lang), ("k", key)) if v})
    return f"?{query}" if query else ""


def _script_text(value: str) -> str:
    """A JavaScript string literal that cannot end the script element."""
    return json.dumps(value).replace("<", "\\u003c")


def form_page(
    t: Tr, code: str, *, title: str | None, roles: Sequence[Role], asked_lang: str, key: str,
    name: str = "", role: str = "", error: str = "", name_invalid: bool = False, status: int | None = None,
) -> HTMLResponse:
    """The name form of room ``code``. ``asked_lang``: the language the person chose in the address
    (carried on, so the phone page after joining speaks it too); ``key``: the QR code's key.
    ``error``: why the form came back (422 unless ``status``); ``name_invalid``: it is about the name."""
    hidden = "".join(f'<input type="hidden" name="{n}" value="{escape(v)}">'
                     for n, v in (("lang", asked_lang), ("k", key)) if v)
    choices = "".join(
        f'<label><input type="radio" name="role" value="{escape(r.id)}"'
        f'{" checked" if r.id == role else ""}>{escape(t.text(r.label))}</label>' for r in roles)
    roles_html = (f'<fieldset data-testid="join-role"><legend>'
                  f'{escape(t("Waar werk je? Zo kunnen groepen gemengd worden (mag open blijven)."))}</legend>'
                  f'<div class="wp-roles">{choices}</div></fieldset>') if roles else ""
    error_html = (f'<p class="wp-alert" id="join-error" data-testid="join-error" role="alert">{escape(error)}</p>'
                  if error else "")
    start = "/" + ("?lang=en" if t.lang == "en" else "")
    title_html = f'<p class="wp-title" data-testid="join-title">{escape(title)}</p>' if title else ""
    # a refused name: the field is marked, described by the message, and has the focus again
    invalid = ' aria-invalid="true" aria-describedby="join-error" autofocus' if error and name_invalid else ""
    own_address = f"/room/{code}{query(asked_lang, key)}"
    script = FORM_JS % (_script_text(t("Bezig met meedoen…")),
                        f'history.replaceState(null, "", {_script_text(own_address)});' if error else "")
    body = (
        f'<form id="join" class="wp-card" method="post" action="/room/{escape(code)}/join" novalidate>'
        f'<h1>{escape(t("Doe mee met een sessie"))}</h1>{title_html}'
        f'<label class="wp-field" for="join-name">{escape(t("Je naam"))}</label>'
        f'<input type="text" id="join-name" name="name" value="{escape(name)}" data-testid="join-name" '
        f'autocomplete="given-name" maxlength="{NAME_MAX}" enterkeyhint="go"{invalid}>'
        f"{roles_html}{error_html}{hidden}"
        f'<button type="submit" data-testid="join-submit">{escape(t("Meedoen"))}</button></form>'
        f'<p class="wp-more"><a href="{start}" data-testid="to-start">'
        f'{escape(t("Een andere sessie, of zelf begeleiden?"))}</a></p>{script}'
    )
    switch_to = f"/room/{code}{query('en' if t.lang == 'nl' else 'nl', key)}"
    return page(t, t("Sessie {code}", code=code), body, switch_to=switch_to,
                status=status or (422 if error else 200), prefetch=True)


async def entry_page(code: str, t: Tr, address: str, *, title: str | None, exists: bool,
                     asked_lang: str, key: str) -> HTMLResponse:
    """What a browser that has not joined room ``code`` gets: the form, or why there is none."""
    svc = await ready()
    keyed = join_key_matches(code, key)
    if not keyed:  # no probing for codes through this page either
        try:
            await svc.limiter.before_lookup(address, code)
        except Rejected as exc:
            return message_page(t, t("Even wachten"), exc.text(t.lang), status=429)
        await svc.limiter.after_lookup(address, code, found=exists)
    if not exists:
        return message_page(t, t("Sessie niet gevonden"),
                            t("Deze sessie bestaat niet (meer). Vraag de begeleider om de code."), home=True)
    roles = (await svc.store.template(code)).roles  # kept per process: the room's own roles
    return form_page(t, code, title=title, roles=roles, asked_lang=asked_lang, key=key if keyed else "")
