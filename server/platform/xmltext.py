"""Text as the documents fangtan writes (.xlsx, .docx: XML 1.0) can hold it.

What people type is stored as typed, and some of it cannot go into XML: text pasted from Word or
WPS carries its manual line break (U+000B) and page break (U+000C), and a scanner or a bad paste
other C0 control characters. openpyxl and python-docx refuse such a string (``IllegalCharacterError``,
``ValueError``), so one planted character made every ledger, report and plan document fail. The
exports write ``xml_text(value)`` instead: the two breaks become line breaks, the other characters
XML 1.0 excludes (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and U+FFFF) are
left out. The stored value is not changed (it is signed, synced and shown on screens as typed).
"""

from __future__ import annotations

import re

_BREAKS = re.compile("[\x0b\x0c]")
_EXCLUDED = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with Word's line and page breaks as line breaks and nothing XML 1.0 excludes."""
    if text.isprintable():  # the common case: no control character at all (tab and LF are not printable)
        return text
    return _EXCLUDED.sub("", _BREAKS.sub("\n", text))
