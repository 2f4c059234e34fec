"""``uv run workshop [--host H] [--port P] [--template PATH]``: serve the app."""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workshop", description="Werkplaats: live workshops for wijkgericht werken")
    parser.add_argument("--host", default=None, help="address to bind (default 0.0.0.0: all interfaces)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8080)")
    parser.add_argument("--template", default=None, help="programme template (YAML) for new rooms")
    args = parser.parse_args(argv)
    if args.host:
        os.environ["WORKSHOP_HOST"] = args.host
    if args.port:
        os.environ["WORKSHOP_PORT"] = str(args.port)
    if args.template:
        os.environ["WORKSHOP_TEMPLATE"] = str(Path(args.template).resolve())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from rooms.templates import TemplateError, load_template
    from workshop.links import base_url
    from workshop.settings import get_settings

    settings = get_settings()
    try:
        load_template(settings.template) if settings.template else load_template()
    except TemplateError as exc:
        print(f"Template refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    where = settings.redis_url or f"embedded redis in {settings.data.resolve()}"
    print(f"Werkplaats on http://127.0.0.1:{settings.port}/  (facilitator: create a session there)")
    print(f"Phones on the same network join at {base_url()}/")
    print(f"Redis: {where}")
    sys.argv = [str(Path(__file__).with_name("main.py"))]
    runpy.run_path(sys.argv[0], run_name="__main__")
