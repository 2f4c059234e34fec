"""Compression for every response at a low level.

NiceGUI's default compresses each asset request at level 9, about 80 ms of CPU
per new phone; when a whole room scans the QR code at once that queues joins
for many seconds. Level 1 costs a fraction and still shrinks text well.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp


def fast_gzip(app: ASGIApp) -> GZipMiddleware:
    return GZipMiddleware(app, minimum_size=500, compresslevel=1)
