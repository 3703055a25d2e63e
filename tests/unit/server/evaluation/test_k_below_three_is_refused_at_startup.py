"""k below 3 (or a comment k below k) would expose individual answers: the server refuses to start."""

import pytest

from server.app import create_app
from server.settings import Settings


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FANGTAN_EVALUATION_MIN_RESPONSES": "2"}, "must be at least 3, got 2"),
        (
            {"FANGTAN_EVALUATION_MIN_RESPONSES": "6", "FANGTAN_EVALUATION_MIN_RESPONSES_FOR_COMMENTS": "5"},
            "FOR_COMMENTS must be at least",
        ),
    ],
)
def test_unsafe_k_is_refused(tmp_path, env, message) -> None:
    with pytest.raises(SystemExit, match=message):
        create_app(Settings.from_env(environ=env, data_dir=tmp_path))


def test_defaults_are_five_and_ten(tmp_path) -> None:
    s = Settings.from_env(environ={}, data_dir=tmp_path)
    assert (s.evaluation_min_responses, s.evaluation_min_responses_for_comments) == (5, 10)
    create_app(s)
    create_app(Settings.from_env(environ={"FANGTAN_EVALUATION_MIN_RESPONSES": "3"}, data_dir=tmp_path))
