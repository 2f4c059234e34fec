"""``uv run workshop``: serve the app, or run a worker, export or import a room.

    uv run workshop [--host H] [--port P] [--template PATH]
    uv run workshop worker [--burst]
    uv run workshop export CODE --format json|csv|xlsx|pdf [--group N] [--out PATH]
    uv run workshop import FILE
    uv run workshop check-aof [--fix]
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rooms.connect import RedisConfig


def _redis_config() -> RedisConfig:
    """REDIS_URL, Sentinel or Cluster (``rooms.connect``), else the embedded server of the data folder
    (started if it is not running)."""
    from rooms.connect import ConfigError, RedisConfig
    from workshop.embedded_redis import EmbeddedRedis
    from workshop.settings import get_settings

    try:
        config = RedisConfig.from_env()
    except ConfigError as exc:
        print(f"Redis settings refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if config.kind != "url" or config.url:
        return config
    embedded = EmbeddedRedis(get_settings().data)
    url = embedded.start()
    if not embedded.adopted:  # started for this command only; a running app's Redis is left alone
        atexit.register(embedded.stop)
    os.environ["REDIS_URL"] = url  # the jobs this process runs read it
    return RedisConfig.from_env()


def worker(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="workshop worker", description="run an RQ worker for exports and archiving")
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--name", default=None, help="the worker's name in RQ (default: RQ's own)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.umask(0o077)  # exports and archives hold personal data: this user's only
    from rq import Queue, Worker

    from rooms.connect import ConfigError, rq_client
    from rooms.jobs import QUEUE

    try:
        connection = rq_client(_redis_config())
    except ConfigError as exc:
        print(f"Redis settings refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    Worker([Queue(QUEUE, connection=connection)], connection=connection, name=args.name).work(burst=args.burst)


def export(argv: list[str]) -> None:
    from rooms.exports import FORMATS, file_name, is_anonymous, render

    parser = argparse.ArgumentParser(prog="workshop export", description="export a room")
    parser.add_argument("code")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--group", type=int, default=None, help="only this group (pdf)")
    parser.add_argument("--out", default=None, help="file to write (default: werkplaats-CODE.FORMAT here)")
    args = parser.parse_args(argv)
    from rooms.codes import normalize_code
    from rooms.connect import sync_client
    from rooms.jobs import read_events

    code = normalize_code(args.code)
    redis = sync_client(_redis_config())
    events = read_events(redis, code) if code else []
    if not events:
        print(f"No room with code {args.code}.", file=sys.stderr)
        raise SystemExit(2)
    try:
        data = render(events, args.format, args.group)
    except ValueError as exc:
        print(f"Cannot export: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    out = Path(args.out or file_name(events[0].code, args.format, args.group, is_anonymous(events)))
    out.write_bytes(data)
    print(f"{out} ({len(data)} bytes)")


def import_(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="workshop import", description="bring back an exported or archived room")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    from rooms.connect import sync_client
    from rooms.exports import ImportError_
    from rooms.jobs import RoomExists, import_room
    from workshop.links import base_url, host_path

    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    redis = sync_client(_redis_config())
    try:
        code, token = import_room(redis, raw)
    except ImportError_ as exc:  # one line: the Dutch reason, then the English
        print(f"Import geweigerd: {exc.nl} / Import refused: {exc.en}", file=sys.stderr)
        raise SystemExit(2) from None
    except RoomExists as exc:
        print(f"Import refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"Room {code} is back. Host page: {base_url()}{host_path(code, token)}")
    print(f"Replay: {base_url()}/replay/{code}?t={token}")


def _serve_embedded(data: Path) -> None:
    """Claim the data folder and start its Redis before anything is served: a second app on the
    same folder, or a Redis that cannot start (a damaged AOF), ends here with one line, never as a
    half-started process that answers errors."""
    from workshop import embedded_redis

    embedded = embedded_redis.EmbeddedRedis(data)
    try:
        embedded.claim()
        embedded.start()
    except embedded_redis.EmbeddedRedisError as exc:
        embedded.release()
        print(f"Cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    embedded_redis.serving = embedded


def check_aof(argv: list[str]) -> None:
    """Redis's own redis-check-aof on the embedded Redis's AOF (the bundled server is that tool
    when it runs under that name): the repair a damaged file's start-up message points to."""
    parser = argparse.ArgumentParser(prog="workshop check-aof",
                                     description="check (and with --fix repair) the embedded Redis's append-only file")
    parser.add_argument("--fix", action="store_true", help="cut the file at the first damaged command (asks first)")
    args = parser.parse_args(argv)
    from workshop.embedded_redis import EmbeddedRedis, _binary
    from workshop.settings import get_settings

    aof = EmbeddedRedis(get_settings().data).aof
    if not aof.exists():
        print(f"No append-only file at {aof}.", file=sys.stderr)
        raise SystemExit(2)
    tool = ["redis-check-aof", *(["--fix"] if args.fix else []), str(aof)]
    raise SystemExit(subprocess.call(tool, executable=_binary()))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"worker": worker, "export": export, "import": import_, "check-aof": check_aof}
    if argv and argv[0] in commands:
        commands[argv[0]](argv[1:])
        return
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
    os.umask(0o077)  # the data folder holds personal data and the storage secret: this user's only
    try:
        settings.secret()
    except ValueError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from rooms.connect import ConfigError, RedisConfig

    try:
        config = RedisConfig.from_env()
    except ConfigError as exc:
        print(f"Redis settings refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if config.kind == "cluster" and not config.rq_url:
        print("Redis settings refused: RQ_REDIS_URL: RQ does not support Redis Cluster; give its queue a plain "
              "Redis", file=sys.stderr)
        raise SystemExit(2)
    if config.kind == "url" and not config.url:
        _serve_embedded(settings.data)
    where = config.describe() if config.kind != "url" or config.url else f"embedded redis in {settings.data.resolve()}"
    print(f"Werkplaats on http://127.0.0.1:{settings.port}/  (facilitator: create a session there)")
    print(f"Phones on the same network join at {base_url()}/")
    print(f"Redis: {where}")
    sys.argv = [str(Path(__file__).with_name("main.py"))]
    runpy.run_path(sys.argv[0], run_name="__main__")
