"""Exports read back: the report and the agenda as official-document .docx, the ledger as .xlsx."""

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook

from server.followup.exports import data
from server.followup.exports.agenda_docx import render_agenda
from server.followup.exports.ledger_xlsx import COLUMNS, render_ledger
from server.followup.exports.report_docx import render_report
from sync.calendar import WorkCalendar
from tests.builders import World, assign, close, followup, held_interview, raise_issue, submit_report


def _east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_report_docx_is_laid_out_as_an_official_document(world: World, dev) -> None:
    iid = held_interview(dev)
    raise_issue(dev, iid)
    raise_issue(dev, iid, category="demand", description="更衣室热水不足", solution="增设电热水器", owner="综合部",
                due_date="2025-10-31")
    dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": "设备老化，备件不足。"})
    assert submit_report(dev, iid).status == "applied"
    doc = Document(io.BytesIO(render_report(data.report_data(world.db, iid, world.actor("u-hr")),
                                            organ="西北能化公司人力资源部（党群部）", number="人资〔2025〕7号")))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("西北能化公司人力资源部（党群部）") < texts.index("人资〔2025〕7号") < texts.index("访谈情况报告")
    assert texts.index("访谈情况报告") + 1 == texts.index("公司领导：")  # 主送 right below the title
    title = doc.paragraphs[texts.index("访谈情况报告")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22 and _east_asian(title.runs[0]) == "方正小标宋简体"
    body = [p for p in doc.paragraphs[1:] if p.runs and _east_asian(p.runs[0]) == "仿宋"]
    assert body and all(p.runs[0].font.size.pt == 16 for p in body)
    normal = doc.styles["Normal"].paragraph_format
    assert 28 <= normal.line_spacing.pt <= 30  # fixed spacing: 22 lines on the 225 mm text block
    lines_per_page = (297 - 37 - 35) / 25.4 * 72 / normal.line_spacing.pt
    assert 21.9 < lines_per_page < 22.1
    text = "\n".join(p.text for p in doc.paragraphs)
    for expected in ("一、访谈基本情况", "设备老化，备件不足。", "二、业务问题", "三、职工诉求", "问题描述：循环泵密封频繁泄漏",
                     "涉及单位：一车间", "建议解决方案：改用机械密封", "责任人：钱工", "预计完成时间：2025年11月28日",
                     "2025年9月26日，张干部到一车间开展小组座谈"):
        assert expected in text, expected
    assert "刘班长" not in text  # participants' names are not in the report


def test_ledger_xlsx_columns_colours_frozen_header_and_filter(world: World, dev) -> None:
    iid = held_interview(dev)
    overdue = raise_issue(dev, iid, description="逾期问题")
    soon = raise_issue(dev, iid, description="临期问题")
    fine = raise_issue(dev, iid, description="正常问题")
    done = raise_issue(dev, iid, description="已销号问题")
    assign(dev, overdue, due="2025-11-20")
    assign(dev, soon, due="2025-11-26")
    assign(dev, fine, due="2025-12-31")
    close(dev, done)
    followup(dev("u-handler"), fine, "progress", text="已采购备件")
    content = render_ledger(data.ledger_rows(world.db, world.actor("u-hr")), data.unit_names(world.db), data.user_names(world.db),
                            dt.date(2025, 11, 24), WorkCalendar())
    wb = load_workbook(io.BytesIO(content))
    ws = wb["问题整改台账"]
    assert ws["A1"].value == "问题整改台账" and tuple(c.value for c in ws[2]) == COLUMNS
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:K6"
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3)}
    colour = {k: r[9].fill.fgColor.rgb[-6:] for k, r in rows.items()}
    assert colour == {"逾期问题": "FFC7CE", "临期问题": "FFEB9C", "正常问题": "C6EFCE", "已销号问题": "C6EFCE"}
    assert rows["逾期问题"][9].value == "已交办（逾期）"
    assert rows["已销号问题"][10].value.startswith("已销号") and rows["正常问题"][10].value in (None, "")
    assert rows["正常问题"][8].value.endswith("已采购备件")
    assert rows["逾期问题"][5].value == "设备管理部" and rows["逾期问题"][6].value == "钱工"
    assert rows["逾期问题"][2].value == "一车间" and rows["逾期问题"][3].value == "业务问题"
    assert rows["逾期问题"][7].value.date() == dt.date(2025, 11, 20)
    assert [r[0].value for r in ws.iter_rows(min_row=3)] == [1, 2, 3, 4]


def test_agenda_docx_lists_pending_and_decided_items(world: World, dev) -> None:
    iid = held_interview(dev)
    a = raise_issue(dev, iid, description="锅炉改造需要资金")
    b = raise_issue(dev, iid, description="倒班制度调整")
    followup(dev("u-hr"), a, "escalate", text="涉及资金 80 万元")
    followup(dev("u-hr"), b, "escalate", text="涉及全厂倒班")
    followup(dev("u-leader"), b, "decide", text="暂缓，先做调研")
    doc = Document(io.BytesIO(render_agenda(data.agenda_rows(world.db, world.actor("u-hr")), data.unit_names(world.db),
                                            dt.date(2025, 11, 24), organ="人力资源部", number="人资〔2025〕2号")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "经理层会议议题" in [p.text for p in doc.paragraphs]
    assert "共2项，其中待研究1项、已作出决定1项" in text
    assert text.index("待研究议题") < text.index("锅炉改造需要资金") < text.index("已决定事项") < text.index("倒班制度调整")
    assert "提请事由：涉及资金 80 万元" in text and "暂缓，先做调研" in text
    assert round(doc.sections[0].top_margin.mm) == 37
