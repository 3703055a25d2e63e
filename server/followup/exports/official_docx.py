"""A python-docx document laid out as a Chinese official document (党政机关公文格式 GB/T 9704-2012).

Page (§5.2.1, §7.1): A4; 天头 (top margin) 37 mm, 订口 (left) 28 mm, text block 156 × 225 mm, so
right 26 mm and bottom 35 mm; 22 lines of 28 characters per page: a fixed line pitch of
225 mm / 22 ≈ 28.95 pt and a line grid (``w:docGrid``) and characters condensed to the 156 mm / 28 ≈ 15.79 pt pitch.

Fonts (§7.2 ff.) are named with their East-Asian names on ``w:rFonts/@w:eastAsia`` as the standard
calls them and as they are installed on government PCs: body 仿宋 三号 (16 pt); title 方正小标宋简体
二号 (22 pt); level-1 headings 黑体, level-2 楷体; page numbers 宋体 四号 (14 pt). Where those fonts
are missing (a Linux server rendering with LibreOffice) fontconfig substitutes a CJK font —
docs/followup.md "Documents" says which.

版头 (§7.2): the 发文机关标志 (issuing organ) in red 小标宋, centred; two lines below it the 发文字号
(``西北能化人资〔2026〕3号``), centred; below that the red separator line across the text block
(a red bottom border of the 发文字号 paragraph: the width of the 版心). 主体 (§7.3): the title two
lines below the red line; 主送机关 one line below the title, flush left, ending in a full-width colon;
the body; 落款: the issuing organ right-aligned two characters in from the right, the 成文日期 on the
next line (``2026年10月27日``, Arabic numerals, no leading zeros), its first character two characters
right of the organ's first character (§7.3.5.2, without seal). 页码 (§7.5): ``— 1 —`` in 宋体 四号
below the text block, odd pages one character in from the right, even pages one character in from
the left (``w:evenAndOddHeaders`` and a PAGE field in each footer).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from server.platform.xmltext import xml_text

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体"
PAGE_NUMBER_FONT = "宋体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 210 - 28 - 26
TEXT_HEIGHT_MM = 297 - 37 - 35
LINE_PT = math.floor(TEXT_HEIGHT_MM / LINES_PER_PAGE / 25.4 * 72 * 20) / 20  # 28.95 pt, whole twips
"""Rounded down to whole twentieths of a point (what .docx stores): rounded up, 22 lines overflow."""
CHAR_PT = TEXT_WIDTH_MM / CHARS_PER_LINE / 25.4 * 72  # ≈ 15.79 pt
RED = RGBColor(0xFF, 0x00, 0x00)


def date_zh(day: dt.date) -> str:
    """成文日期 as GB/T 9704 §7.3.5.1 writes it: ``2026年10月27日`` (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Issue:
    """Who issues the document, under which number, to whom, on which day."""

    organ: str
    """发文机关 (版头 and 署名), ``Settings.document_issuer``."""
    date: dt.date
    """成文日期, in the company's time zone."""
    recipients: str | None = None
    """主送机关 (without the colon)."""
    number: str | None = None
    """发文字号; None for a draft, which has none."""


def _font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def text_run(paragraph, text: str, font: str, size: float, bold: bool = False, color: RGBColor | None = None):
    """A run of ``text`` in ``font`` at ``size`` pt: the one way text enters a document, through
    ``xml_text`` (a control character pasted from Word made python-docx refuse the document)."""
    run = paragraph.add_run(xml_text(text))
    _font(run, font, size, bold, color)
    return run


def _page_field(paragraph, font: str, size: float) -> None:
    """``— PAGE —``: the page number as a field, so every page prints its own."""
    text_run(paragraph, "— ", font, size)
    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = paragraph.add_run()
        _font(run, font, size)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._element.append(instr)
        elif kind == "shown":
            run.text = "1"  # what shows until the field is updated
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
    text_run(paragraph, " —", font, size)


def _bottom_border(paragraph, color: str = "FF0000", eighths: int = 8) -> None:
    ppr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", "6"), ("w:color", color)):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


class OfficialDocument:
    def __init__(self, issue: Issue | None = None) -> None:
        self.issue = issue
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(BODY_PT)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        # 28 characters a line: 16 pt glyphs condensed to the 15.79 pt pitch (w:spacing, in
        # twentieths of a point, rounded down so that the 28th still fits).
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(math.floor((CHAR_PT - BODY_PT) * 20)))
        normal.element.get_or_add_rPr().append(spacing)
        # The document grid: 22 lines (linePitch in twentieths of a point). Lines only: a character
        # grid is laid out differently by Word and LibreOffice, the condensed spacing is not.
        sect = section._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = sect.makeelement(qn("w:docGrid"), {})
            sect.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
        self._page_numbers(section)
        if issue is not None:
            self._masthead(issue)

    # -- 版头 and 页码 -------------------------------------------------------------------------
    def _page_numbers(self, section) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        # The number's line sits 7 mm below the text block (§7.5): 35 − 7 mm above the page edge,
        # less its own height.
        section.footer_distance = Mm(35 - 7) - Pt(PAGE_NUMBER_PT * 1.2)
        for footer, align, indent in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(PAGE_NUMBER_PT * 1.2)
            setattr(p.paragraph_format, f"{indent}_indent", Pt(PAGE_NUMBER_PT))  # 空一字
            _page_field(p, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)

    def _masthead(self, issue: Issue) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # As large as fits one line of the 156 mm text block, at most 42 pt.
        size = min(42, int(TEXT_WIDTH_MM / 25.4 * 72 / max(len(issue.organ), 1)))
        p.paragraph_format.line_spacing = Pt(size * 1.3)
        text_run(p, issue.organ, TITLE_FONT, size, color=RED)
        self.doc.add_paragraph()  # 空二行: the blank line plus the number's own spacing
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text_run(p, issue.number or "", BODY_FONT, BODY_PT)
        _bottom_border(p)  # the red separator line, the width of the text block
        self.doc.add_paragraph()

    # -- 主体 ------------------------------------------------------------------------------------
    def title(self, text: str) -> None:
        if self.issue is not None:
            self.doc.add_paragraph()
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(LINE_PT)
        p.paragraph_format.line_spacing = Pt(36)
        text_run(p, text, TITLE_FONT, TITLE_PT)
        if self.issue is not None and self.issue.recipients:
            self.para(f"{self.issue.recipients}：", indent=False)

    def heading(self, text: str, level: int = 1) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        text_run(p, text, H1_FONT if level == 1 else H2_FONT, BODY_PT)

    def para(self, text: str, *, indent: bool = True, align_right: bool = False, right_chars: float = 0) -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        if align_right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(CHAR_PT * right_chars)
        text_run(p, text, BODY_FONT, BODY_PT)

    def signature(self) -> None:
        """落款 (§7.3.5.2, no seal): one blank line, the organ two characters in from the right, the
        date below it, starting two characters further right (or two in from the right when longer)."""
        assert self.issue is not None
        organ, date = self.issue.organ, date_zh(self.issue.date)
        organ_w, date_w = _width(organ), _width(date)
        date_right = max(2.0, 2 + organ_w - date_w - 2)
        organ_right = date_right + date_w + 2 - organ_w
        self.para("")
        self.para(organ, indent=False, align_right=True, right_chars=organ_right)
        self.para(date, indent=False, align_right=True, right_chars=date_right)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _width(text: str) -> float:
    """Width in characters of 三号: Arabic numerals and Latin letters are half width."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
