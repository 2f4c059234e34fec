"""All configuration in one object, from the environment (``WORKSHOP_*``, ``REDIS_URL``)."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET = 16  # characters of a storage secret; token_urlsafe(32) makes 43


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORKSHOP_", extra="ignore")

    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    data: Path = Path(".workshop-data")
    host: str = "0.0.0.0"
    port: int = 8080
    # The address phones should use (e.g. https://werkplaats.example.nl); detected when unset.
    public_url: str | None = None
    template: Path | None = None
    storage_secret: str | None = None
    # Phones lock their screens: keep their page alive on the server this long before it is dropped.
    phone_reconnect_timeout: float = 120.0
    # Rooms idle this many days are archived to ``data/archive`` and removed from Redis (0: never).
    retention_days: float = 30.0
    archive_interval: float = 3600.0
    # An RQ worker for exports and archiving: "auto" starts one with the embedded Redis only
    # (with an external Redis, run ``workshop worker`` beside the app, as docker-compose does).
    worker: Literal["auto", "on", "off"] = "auto"
    # With a password set, creating a room asks for it (a server reachable from the internet).
    admin_password: str | None = None
    # Behind proxies that add X-Forwarded-For (docker-compose: Traefik; deploy/haproxy.cfg), how many:
    # rate limits then use the address the nearest trusted proxy saw, never one the client wrote.
    trusted_proxies: int = Field(default=0, ge=0, le=10)
    trust_proxy: bool = False  # the earlier switch: true counts as one trusted proxy

    def https(self) -> bool:
        """Served to people over HTTPS (the public address says so): cookies are Secure."""
        return (self.public_url or "").lower().startswith("https://")

    def proxy_hops(self) -> int:
        return self.trusted_proxies or (1 if self.trust_proxy else 0)

    def secret(self) -> str:
        """The storage secret: from the environment, else generated once into the data folder.

        It signs the cookies that say which participant a browser is: a file that is empty or too
        short to be secret (truncated, edited) is replaced by a new one, never used.
        """
        if self.storage_secret:
            if len(self.storage_secret.strip()) < MIN_SECRET:
                raise ValueError(f"WORKSHOP_STORAGE_SECRET is shorter than {MIN_SECRET} characters")
            return self.storage_secret
        self.data.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.data.chmod(0o700)
        path = self.data / "storage-secret"
        if path.exists():
            value = path.read_text().strip()
            if len(value) >= MIN_SECRET:
                with contextlib.suppress(OSError):
                    path.chmod(0o600)
                return value
            logging.getLogger(__name__).warning("%s was empty or too short to sign cookies; made a new one", path)
        value = secrets.token_urlsafe(32)
        tmp = path.with_name(".storage-secret.new")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value)
        tmp.replace(path)
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
