"""Hostile input at the edges (issue 14): nested YAML, non-finite numbers in socket messages,
tokens in log lines."""

from __future__ import annotations

import logging
import time

import pytest

from rooms.templates import TEMPLATE_MAX_DEPTH, TemplateError, load_template, parse_template
from workshop.security import install_log_redaction, redact, strict_args


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,  # 200 kB of flow nesting
    "- " * 60_000 + "x",  # block nesting
    "id: x\ntitle: {nl: a}\nactivities: " + "[" * 900 + "]" * 900,
])
def test_deeply_nested_yaml_is_refused_with_a_clear_message(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateError, match=f"nests deeper than {TEMPLATE_MAX_DEPTH} levels"):
        parse_template(text, "nested.yaml")
    assert time.monotonic() - started < 5


def test_the_programme_nests_well_within_the_limit() -> None:
    assert len(load_template().activities) > 5


def event(*args: object) -> dict[str, object]:
    return {"id": 7, "client_id": "c", "listener_id": "l", "args": list(args)}


def test_non_finite_numbers_in_event_arguments_become_null() -> None:
    msg = event('{"kind":"place","position":"now","value":NaN}', None, "[Infinity,-Infinity,1]", '{"v":-1e999}')
    assert strict_args(msg)
    assert msg["args"] == ['{"kind":"place","position":"now","value":null}', None, "[null,null,1]", '{"v":null}']
    plain = event('{"value":64}', "123456789012345678901234567890")
    assert strict_args(plain)  # strict JSON is left as sent (orjson reads a huge integer as a float)
    assert plain["args"] == ['{"value":64}', "123456789012345678901234567890"]
    assert not strict_args(event("{nope")) and not strict_args(event(5)) and not strict_args("x")


@pytest.mark.parametrize("arg", [
    '"a\\ud800b"', '{"\\udfff": 1}',  # lone surrogates: orjson, and so NiceGUI, cannot read them
    "[" * 5000 + "]" * 5000, "[" * 5000 + "NaN" + "]" * 5000,  # deeper than orjson (1,024) or Python reads
    "[" * 1100 + "]" * 1100,
])
def test_arguments_nicegui_could_not_read_are_refused(arg: str) -> None:
    assert not strict_args(event(arg))


def test_an_event_without_its_ids_is_refused() -> None:
    assert not strict_args({"client_id": "c", "args": ["1"]}) and not strict_args({"id": 1, "args": ["1"]})
    assert not strict_args({"id": [1], "client_id": "c", "args": ["1"]})  # unhashable: a TypeError there


def test_tokens_are_redacted_from_every_log_line(caplog: pytest.LogCaptureFixture) -> None:
    assert redact("GET /host/ABCDEF?t=s3cr3t&lang=en") == "GET /host/ABCDEF?t=[redacted]&lang=en"
    assert redact("/room/ABCDEF?lang=en&k=abc x") == "/room/ABCDEF?lang=en&k=[redacted] x"
    assert redact("at=5 t=3") == "at=5 t=3"  # only query parameters
    install_log_redaction()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("nicegui").warning("%s not found", "http://h/host/ABCDEF?t=s3cr3t")
    assert "s3cr3t" not in caplog.text and "?t=[redacted] not found" in caplog.text
