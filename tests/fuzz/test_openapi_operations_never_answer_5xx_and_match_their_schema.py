"""Schemathesis against the served /schema/openapi.json with a real bearer token (issue 8).

Every operation is fuzzed with schema-conforming and schema-violating requests; every answer
must be a non-5xx response whose status, content type and body match the document. Bounded and
deterministic: derandomized hypothesis, a fixed number of examples per operation, no database
of past failures.
"""

from __future__ import annotations

import msgspec
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.fuzz.conftest import session_of

EXAMPLES_PER_OPERATION = 15  # ~30 s for both users on an idle 2-core machine
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@schemathesis.serializer("application/msgpack")
def _msgpack(_ctx: schemathesis.SerializationContext, value: object) -> bytes:
    return msgspec.msgpack.encode(_representable(value))


def _representable(value: object) -> object:
    """msgpack integers are 64-bit: send a larger generated integer as a float, as JSON would."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return float(value)
    if isinstance(value, dict):
        return {k: _representable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_representable(v) for v in value]
    return value


def _fuzz(operation, mode, base_url: str, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as exc:  # keep going: report every failing operation at once
            failures.append(f"{operation.label} [{mode.value}] {response.status_code}: {str(exc)[:800]}")

    try:
        run()
    except Unsatisfiable:
        # Nothing to negate: the operation takes no parameters and no body.
        assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("username", ["admin", "cadre"])
def test_every_operation_answers_without_5xx_and_matches_its_schema(fuzz_server, username: str) -> None:
    headers = {"Authorization": f"Bearer {session_of(fuzz_server, username)['access_token']}"}
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the whole API, not an empty document
    failures: list[str] = []
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            failures += _fuzz(operation, mode, fuzz_server.url, headers)
    assert not failures, "\n\n".join(failures) + "\n\nserver log tail:\n" + fuzz_server.log()[-3000:]
