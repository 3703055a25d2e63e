"""Text enters a .docx only through ``official_docx.text_run`` (which passes it through ``xml_text``),
so a control character pasted from Word cannot make python-docx refuse a document; the e2e test
(tests/e2e/api/test_documents_hold_text_pasted_from_word.py) plants them in every document."""

from __future__ import annotations

import ast
from pathlib import Path

from server.platform.xmltext import xml_text

SERVER = Path(__file__).resolve().parents[4] / "server"


def test_no_module_writes_document_text_around_text_run() -> None:
    offenders = []
    for path in SERVER.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        if not any(isinstance(n, ast.ImportFrom) and (n.module or "").startswith("docx") for n in ast.walk(tree)) \
                and "official_docx" not in path.read_text():
            continue
        allowed = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "text_run"
                   for n in ast.walk(f)}
        for node in ast.walk(tree):
            if id(node) in allowed:
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("add_run", "add_paragraph", "add_heading") and (node.args or node.keywords):
                offenders.append(f"{path}:{node.lineno}: {node.func.attr} with text")
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "text" for t in node.targets) \
                    and not isinstance(node.value, ast.Constant):
                offenders.append(f"{path}:{node.lineno}: sets .text")
    assert not offenders, offenders


def test_xml_text_keeps_what_xml_holds_and_turns_word_breaks_into_line_breaks() -> None:
    kept = "普通文字 \t制表\n换行\r回车\u3000全角空格 emoji 😀 \u00a0\ufffd"
    assert xml_text(kept) == kept
    assert xml_text("甲\x0b乙\x0c丙") == "甲\n乙\n丙"
    assert xml_text("\x00a\x01b\x08c\x0ed\x1fe\ud800f\ufffeg\uffff") == "abcdefg"
