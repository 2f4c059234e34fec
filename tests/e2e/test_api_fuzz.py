"""The JSON API fuzzed from its own OpenAPI spec (schemathesis) against a running ``workshop``:
no input makes it fail with a server error or answer outside its spec, every answer carries the
security headers, and half the cases carry a real room's code and host token, so the fuzzing also
reaches past the token check (issue 14: the whole API)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.templates import load_template
from tests.e2e.conftest import Server
from tests.e2e.test_reliability import engine
from workshop.security import HEADERS


def test_the_api_holds_to_its_spec(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    paths = sorted(op.path for op in operations)
    assert paths == ["/api/health", "/api/ready", "/api/rooms/{code}", "/api/rooms/{code}/exports/{name}"]
    tried: list[str] = []
    code, token = engine("create_room", load_template())
    authorised: list[int] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def fuzz(data: Any) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        if "code" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters = {**case.path_parameters, "code": data.draw(st.sampled_from([code, code.lower()]))}
            case.headers = {**(case.headers or {}), "X-Host-Token": token}
        response = case.call(base_url=server.url)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
        case.validate_response(response)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == [value], (case.formatted_path, name)  # one value each
        tried.append(operation.path)
        if response.status_code == 200 and operation.path != "/api/health":
            authorised.append(response.status_code)

    fuzz()
    assert set(tried) == set(paths)
    assert authorised, "no case got past the host token"
