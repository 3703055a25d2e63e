import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings


def _fail(client, username):
    return client.post("/api/auth/login", json={"username": username, "password": "wrong-one", "device_name": "x"})


@pytest.fixture
def slow_client(data_dir, tmp_path):
    """Default limits, with a first delay long enough that it cannot run out during a test."""
    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "none", guess_backoff_base_s=600)
    with TestClient(create_app(settings)) as c:
        yield c, settings


def test_after_repeated_failures_even_the_right_password_waits(slow_client):
    client, settings = slow_client
    for _ in range(settings.login_max_failures_per_account):
        assert _fail(client, "cadre").status_code == 401
    right = client.post("/api/auth/login", json={"username": "cadre", "password": "fangtan-demo", "device_name": "x"})
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "auth.rate_limited"
    assert 590 <= int(right.headers["retry-after"]) <= 600  # a delay, not a lockout
    # Other accounts are not affected by one account's delay.
    other = client.post("/api/auth/login", json={"username": "cadre2", "password": "fangtan-demo", "device_name": "x"})
    assert other.status_code == 200


@pytest.fixture
def strict_client(data_dir, tmp_path):
    settings = Settings.from_env(
        environ={}, data_dir=data_dir, static_dir=tmp_path / "none",
        login_max_failures_per_address=3, login_max_failures_per_account=100, guess_backoff_base_s=600,
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_an_address_is_limited_across_accounts(strict_client):
    for username in ("a1", "a2", "a3"):
        assert _fail(strict_client, username).status_code == 401
    response = strict_client.post(
        "/api/auth/login", json={"username": "hr", "password": "fangtan-demo", "device_name": "x"}
    )
    assert response.status_code == 429 and response.json()["error"]["code"] == "auth.rate_limited"


def test_a_successful_login_clears_the_account_counter(slow_client):
    client, settings = slow_client
    for _ in range(settings.login_max_failures_per_account - 1):
        _fail(client, "hr")
    assert client.post("/api/auth/login", json={"username": "hr", "password": "fangtan-demo", "device_name": "x"}).status_code == 200
    for _ in range(settings.login_max_failures_per_account - 1):
        assert _fail(client, "hr").status_code == 401
    # 2 × (max - 1) failures in all, yet not delayed: the counter restarted at the successful login.
    assert client.post("/api/auth/login", json={"username": "hr", "password": "fangtan-demo", "device_name": "x"}).status_code == 200
