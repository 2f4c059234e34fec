"""The JSON API fuzzed from its own OpenAPI spec (schemathesis) against a running ``workshop``:
no input makes it fail with a server error or answer outside its spec."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import Server


def test_the_api_holds_to_its_spec(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    paths = sorted(op.path for op in operations)
    assert paths == ["/api/health", "/api/ready", "/api/rooms/{code}", "/api/rooms/{code}/exports/{name}"]
    tried: list[str] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def fuzz(data: Any) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call(base_url=server.url)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
        case.validate_response(response)
        tried.append(operation.path)

    fuzz()
    assert set(tried) == set(paths)
