"""Issue 16 point 4: every message the server makes is Chinese only for a zh-CN reader (the default)
and English for a reader who asked for English. Three nets over the error catalogue:

* every stable code has a Chinese text without Latin words (what a message with no Chinese says);
* every literal message at a raise site (error classes and the mutations' ``fail``/``require``/``forbid``
  helpers, in server/ and sync/) renders, in zh-CN, to its *own* Chinese — not the code's fallback —
  with no Latin word outside backquoted field names and the whitelist; and, in English, to its English;
* English-only messages are allowed only in the machine-facing protocol modules (a person never causes
  them: the app builds those requests), and they say their code's Chinese.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import server.app  # noqa: F401 - imports every server package, so every define_error has run
from sync.errors import CATALOGUE, ZH, FangtanError, latin_words, pick_locale, render_message
from sync.policy import ROLE_ZH, role_refusal

ROOT = Path(__file__).parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")
HELPERS = {"fail": 0, "require": 1, "forbid": 0}
# Requests only the app itself builds (sync protocol, sealed envelopes, key escrow, blob metadata):
# their English detail is for developers; a Chinese reader gets the code's text.
MACHINE_FACING = {"sync/envelope.py", "sync/engine.py", "sync/wire.py", "sync/pull.py", "sync/mutations/keys.py",
                  "sync/mutations/attachment.py", "sync/mutations/notification.py", "server/health.py"}


def _error_names() -> set[str]:
    names = set()
    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith(("sync", "server")):
            names |= {k for k, v in vars(mod).items() if isinstance(v, type) and issubclass(v, FangtanError)}
    return names


def _literal(node: ast.expr) -> str | None:
    """The message with each {placeholder} as ``0``; None when it is not a literal (a variable)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "0" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None or right is None else left + right
    return None


def _raise_site_messages() -> list[tuple[str, str, str]]:
    """(file:line, error name, literal message) of every raise site in server/ and sync/."""
    names, found = _error_names(), []
    for path in [*(ROOT / "server").rglob("*.py"), *(ROOT / "sync").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in names:
                index = 0
            elif name in HELPERS:
                index = HELPERS[name]
            else:
                continue
            if len(node.args) > index and (text := _literal(node.args[index])) is not None and text.strip():
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", name, text))
    return found


def test_every_code_in_the_catalogue_has_chinese_without_latin_words() -> None:
    assert len(CATALOGUE) >= 50  # the engine's and every server package's codes
    missing = [code for code in CATALOGUE if code not in ZH]
    assert missing == []
    bad = {code: ZH[code] for code in CATALOGUE if not CJK.search(ZH[code]) or latin_words(ZH[code])}
    assert bad == {}
    for code, cls in CATALOGUE.items():  # an English-only message says its code's Chinese
        assert render_message(code, cls.status, cls.__doc__ or "x", "zh-CN") == ZH[code]


def test_every_literal_refusal_renders_its_own_chinese_and_its_english() -> None:
    sites = _raise_site_messages()
    assert len(sites) >= 250, len(sites)  # the scan found the raise sites
    own, english_only = [], []
    for where, _name, text in sites:
        if not CJK.search(text):
            if where.split(":")[0] not in MACHINE_FACING:
                english_only.append(f"{where}: {text!r}")
            continue
        zh = render_message("validation", 422, text, "zh-CN")
        if zh == ZH["validation"] and text != ZH["validation"] or latin_words(zh) or not CJK.search(zh):
            own.append(f"{where}: {text!r} -> {zh!r}")
        en = render_message("validation", 422, text, "en")
        if en != text and CJK.search(en):
            own.append(f"{where}: English {en!r}")
    assert english_only == [], "\n".join(english_only)
    assert own == [], "\n".join(own)


def test_the_rendering_rules() -> None:
    message = "`count` 应在 1-50 之间 (must be 1-50)"
    assert render_message("validation", 422, message, "zh-CN") == "`count` 应在 1-50 之间"
    assert render_message("validation", 422, message, "en") == "must be 1-50"
    nested = "请求体不是有效的 JSON (malformed body: invalid character (byte 0))"
    assert render_message("request.malformed", 400, nested, "zh-CN") == "请求体不是有效的 JSON"
    assert render_message("request.malformed", 400, nested, "en") == "malformed body: invalid character (byte 0)"
    kept = "本机数据比服务器新（服务器可能已恢复备份），请先上传 (the cursor is ahead)"
    assert render_message("conflict", 409, kept, "zh-CN") == "本机数据比服务器新（服务器可能已恢复备份），请先上传"
    assert render_message("busy", 503, "the database is busy; retry shortly", "zh-CN") == "服务器繁忙，请稍后再试"
    assert render_message("busy", 503, "the database is busy; retry shortly", "en") == "the database is busy; retry shortly"
    assert render_message("x.unknown", 404, "no such thing", "zh-CN") == "没有找到"


def test_role_refusals_name_the_roles_in_chinese() -> None:
    message = role_refusal("issue.verify")
    zh = render_message("auth.forbidden", 403, message, "zh-CN")
    assert zh.startswith("需要以下角色之一") and latin_words(zh) == [], zh
    assert all(name in zh for name in (ROLE_ZH["supervisor"], ROLE_ZH["cadre"]))
    assert "supervisor" in render_message("auth.forbidden", 403, message, "en")


def test_the_language_is_the_users_choice_then_accept_language_then_chinese() -> None:
    assert pick_locale(None, None) == "zh-CN"
    assert pick_locale(None, "en-US,en;q=0.9") == "en"
    assert pick_locale(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh-CN"
    assert pick_locale(None, "fr-FR, en;q=0.5") == "en"
    assert pick_locale(None, "fr-FR") == "zh-CN"
    assert pick_locale("zh-CN", "en") == "zh-CN"
    assert pick_locale("en", "zh-CN") == "en"


def test_the_whitelist_is_the_browser_crawls() -> None:
    import json

    from sync.errors import LATIN_WHITELIST

    crawl = json.loads((ROOT / "pwa" / "scripts" / "latin-whitelist.json").read_text("utf-8"))["words"]
    assert set(crawl) == LATIN_WHITELIST
