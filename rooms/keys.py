"""Every Redis key and channel name the engine uses, built in one place.

All keys of one room share the hash tag ``{CODE}`` so that a room lives in one
slot on Redis Cluster. Nothing outside this module formats a key.
"""

PREFIX = "ws"


def _room(code: str, part: str) -> str:
    return f"{PREFIX}:{{{code}}}:{part}"


def meta_key(code: str) -> str:
    """Hash: the room's scalar state (current activity, statuses, reveals, screen)."""
    return _room(code, "meta")


def template_key(code: str) -> str:
    """String: the room's programme (template) as JSON, fixed at creation."""
    return _room(code, "template")


def participants_key(code: str) -> str:
    """Hash: participant id -> participant JSON (name, number, group)."""
    return _room(code, "participants")


def placements_key(code: str) -> str:
    """Hash: ``activity|item|position|participant`` -> value."""
    return _room(code, "placements")


def reasons_key(code: str) -> str:
    """Hash: ``activity|item|participant`` -> reason text."""
    return _room(code, "reasons")


def texts_key(code: str) -> str:
    """Hash: ``activity|owner|field`` -> text (owner: participant id, or g<N> for a group)."""
    return _room(code, "texts")


def docs_key(code: str) -> str:
    """Hash: activity|owner|field -> the shared text's document (``rooms.cotext``), base64."""
    return _room(code, "docs")


def cards_key(code: str) -> str:
    """Hash: ``activity|card|participant`` -> comma-separated targets."""
    return _room(code, "cards")


def choices_key(code: str) -> str:
    """Hash: ``activity|participant`` -> comma-separated chosen options."""
    return _room(code, "choices")


def groups_key(code: str) -> str:
    """Hash: participant id -> group number (what a write checks a member's group against)."""
    return _room(code, "groups")


def events_key(code: str) -> str:
    """Stream: the room's event log, the truth everything else is folded from."""
    return _room(code, "events")


def seq_key(code: str) -> str:
    """Counter: the sequence number of the room's last event."""
    return _room(code, "seq")


def secret_key(code: str) -> str:
    """String: hash of the host token (never in the event log)."""
    return _room(code, "secret")


def browsers_key(code: str) -> str:
    """Hash: browser session id -> participant id (who this phone is, across reloads)."""
    return _room(code, "browsers")


def presence_key(code: str) -> str:
    """Sorted set: participant id -> last time a page of theirs was seen connected."""
    return _room(code, "presence")


def channel(code: str) -> str:
    """Pub/sub channel on which every event of the room is announced."""
    return _room(code, "live")


def room_keys(code: str) -> list[str]:
    """Every key a room owns, for deletion and for tests that look for leftovers."""
    return [
        meta_key(code),
        template_key(code),
        participants_key(code),
        placements_key(code),
        reasons_key(code),
        texts_key(code),
        docs_key(code),
        cards_key(code),
        choices_key(code),
        groups_key(code),
        events_key(code),
        seq_key(code),
        secret_key(code),
        browsers_key(code),
        presence_key(code),
    ]


def room_pattern(code: str) -> str:
    """Glob matching every key of the room (all carry its hash tag), for tests that look for leftovers."""
    return f"*{{{code}}}*"


def rooms_index_key() -> str:
    """Sorted set: room code -> last activity time (for listing and retention)."""
    return f"{PREFIX}:rooms"


def rate_key(bucket: str, client: str) -> str:
    """Counter for rate limits, per bucket (e.g. ``join-fail``) and client address ("*": a glob of all)."""
    return f"{PREFIX}:rate:{bucket}:{client}"


def archive_lock_key() -> str:
    """String, with an expiry: held by the one process that archives idle rooms this round."""
    return f"{PREFIX}:archive-lock"
