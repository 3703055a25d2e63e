"""Issue 13 point 13: ``fangtan user add`` and ``fangtan user passwd`` refuse a password shorter than
10 characters, a common one (the shipped list, any case) and the published demo password outside a
demo database — each time saying why in Chinese (with the English in brackets); the demo keeps it."""

from __future__ import annotations

import pytest

from server.accounts import passwords
from server.demo import DEMO_PASSWORD
from tests.e2e.test_cli import fangtan


def test_the_policy_names_each_reason() -> None:
    check = lambda pw, demo=False: passwords.password_problem(pw, demo_password=DEMO_PASSWORD, demo_database=demo)  # noqa: E731
    assert "至少需要 10 个字符" in check("nine-char") and "too short" in check("nine-char")
    for common in ("1234567890", "qwertyuiop", "Basketball", " QWERTYUIOP "):
        assert "太常见" in check(common) and "too common" in check(common), common
    assert "演示密码" in check(DEMO_PASSWORD) and check(DEMO_PASSWORD, demo=True) is None
    assert check("甲醇车间-回流泵-2026") is None and check("ten chars!") is None
    assert len(passwords.common_passwords()) > 19_000


@pytest.fixture
def plain_data(tmp_path):
    data = tmp_path / "data"
    assert fangtan("unit", "add", "某化工公司", "--kind", "company", data_dir=data).returncode == 0
    return data


def _add(data, password: str):
    return fangtan("user", "add", "boss", "--name", "老板", "--unit", "某化工公司", "--role", "admin",
                   "--password", password, data_dir=data)


def test_user_add_and_passwd_refuse_weak_passwords_outside_the_demo(plain_data) -> None:
    for password, reason in (("short-pw", "至少需要 10 个字符"), ("qwertyuiop", "太常见"), ("Basketball", "太常见"),
                             (DEMO_PASSWORD, "演示密码")):
        refused = _add(plain_data, password)
        assert refused.returncode != 0 and reason in refused.stderr, (password, refused.stderr)
    assert _add(plain_data, "检修班组-夜班-2026").returncode == 0
    for password, reason in (("1q2w3e4r5t", "太常见"), (DEMO_PASSWORD, "演示密码"), ("123456789", "至少需要")):
        refused = fangtan("user", "passwd", "boss", "--password", password, data_dir=plain_data)
        assert refused.returncode != 0 and reason in refused.stderr, (password, refused.stderr)
    assert fangtan("user", "passwd", "boss", "--password", "另一个-够长的-密码", data_dir=plain_data).returncode == 0


def test_the_demo_database_keeps_its_published_password(data_dir) -> None:
    """The demo (``fangtan demo``) is marked as such: its accounts may be reset to the demo password."""
    assert fangtan("user", "passwd", "cadre", "--password", "temporary-pass-1", data_dir=data_dir).returncode == 0
    again = fangtan("user", "passwd", "cadre", "--password", DEMO_PASSWORD, data_dir=data_dir)
    assert again.returncode == 0, again.stderr
