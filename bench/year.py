"""A generated year of a whole company (issue 18.1), for the growth benchmarks.

Deterministic (one seed), and written the way the real company's data would arrive:
- the organisation through the roster import (``server.roster.plan``): 40 units, 500 cadres and
  officers with accounts, 10,000 employees as their teams' headcount (employees have no account);
- the year's plans as HR's company plan (one quarterly visit per cadre and quarter);
- every interview, note, problem, report, photo and follow-up step as numbered mutations from the
  user's enrolled tablet through ``sync.engine.apply_push``, each pushed at the server time it would
  have happened — so rules, visibility, receipts, due dates and notifications are the real ones;
- photos as small real JPEGs (Pillow) stored through the blob store;
- anonymous evaluations through the real ticket issue/redeem functions (sealed at rest);
- a supervision draw per quarter, committed before the quarter and revealed after it.

Sizes per year (``YearSize``): 6,000 interviews in all five forms, 60,000 notes of ~300 Chinese
characters, 12,000 problems in the four categories, ~36,000 follow-up events in every state, 12,000
photo attachments, 30,000 evaluation responses. ``years`` stacks years (the latest ending with 2025,
the last year the bundled working-day calendar knows in full, so every due date is computable).
``YearSize.scaled(f)`` shrinks it for tests, keeping the same mix.

Bench accounts all get the password ``BENCH_PASSWORD`` (hashed once; nobody types it), and no forced
change, so the benchmarks can sign in as any user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from server.demo.activity import _at, _is_workday
from server.demo.activity import _working_days_after as _after
from server.demo.story import INTERVIEWS
from sync.calendar import WorkCalendar

BENCH_PASSWORD = "bench-year-password"
FORMS = ("individual", "group", "symposium", "walkthrough", "online")
CATEGORIES = ("business", "management", "demand", "suggestion")
# A problem's fate and its share: every follow-up state is present (docs/followup.md).
# Mean follow-up events per problem ≈ 3.1 (assign 1, start+progress 2, resolve 1, close 1, escalate+decide 2).
FATES = (("raised", 0.12), ("assigned", 0.18), ("progress", 0.18), ("resolved", 0.12), ("closed", 0.30),
         ("escalated", 0.06), ("overdue", 0.04))
LAST_YEAR = 2025
COPIED_SHARE = 0.02
"""Interviews whose notes are a copy of the same cadre's previous interview (near-duplicate signal)."""


@dataclass(frozen=True)
class YearSize:
    accounts: int = 500
    employees: int = 10_000
    interviews: int = 6_000
    notes_per_interview: int = 10
    issues_per_interview: int = 2
    photos_per_interview: int = 2
    evaluations_per_interview: int = 5
    note_chars: int = 300

    def scaled(self, factor: float) -> YearSize:
        """The same mix at ``factor`` of the size (at least a handful of each)."""
        return replace(self, accounts=max(30, int(self.accounts * factor)),
                       employees=int(self.employees * factor), interviews=max(10, int(self.interviews * factor)))


@dataclass
class Generated:
    years: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# --- text -------------------------------------------------------------------------------------
_WHO = ["班组长", "操作工", "检修工", "设备员", "安全员", "倒班职工", "新入职员工", "质检员", "仪表工", "司炉工"]
_WHERE = ["合成工段", "精馏岗位", "中控室", "备件库房", "循环水泵房", "锅炉房", "装车站台", "化验室", "空分装置", "职工食堂"]
_WHAT = ["回流泵机械密封频繁泄漏，每周停车检修", "夜班交接记录填写要求不统一，交接时间长", "劳保鞋更换周期太长，鞋底磨损打滑",
         "巡检路线上的照明不足，雨天看不清仪表", "备件领用审批环节多，抢修时取件慢", "操作卡与现场流程不一致，新员工容易误操作",
         "倒班后通勤班车班次少，候车时间长", "培训多为集中授课，实操机会少", "中控室空调制冷不足，机柜温度偏高",
         "建议把典型故障处理写进操作规程"]
_ASK = ["希望尽快安排处理", "建议车间统一标准", "请相关部门研究解决", "希望纳入下季度计划", "建议试点后推广"]
# What a shop floor's notes are made of: a specific observation (a tag, a number, a date, a count),
# its effect and a wish. Real notes differ from one another; the slots make the generated ones do
# too (two random notes share ~10 % of their 3-character fragments), so the near-duplicate signal
# meets the data it is made for. A few interviews are copied on purpose (COPIED_SHARE, below).
_PARTS = {
    "equip": ["回流泵", "循环水泵", "引风机", "压缩机", "换热器", "精馏塔再沸器", "合成塔", "气化炉", "磨煤机", "空冷器",
              "离心机", "真空泵", "废热锅炉", "冷却塔风机", "储罐呼吸阀", "取样冷却器", "液位计", "安全阀", "疏水阀", "调节阀"],
    "fault": ["机械密封泄漏", "轴承温度偏高", "振动超标", "出口压力波动", "电流忽高忽低", "阀门内漏", "仪表显示失真", "管线结垢",
              "法兰渗漏", "联锁误动作", "填料函冒汽", "地脚螺栓松动", "油质乳化", "滤网堵塞", "伴热失效"],
    "life": ["澡堂热水", "班车时刻", "职工食堂夜餐", "更衣柜", "劳保手套", "防寒服", "休息室空调", "饮水机滤芯", "宿舍网络", "体检安排"],
    "mgmt": ["交接班记录", "操作票审批", "动火作业票", "巡检签到", "绩效考核细则", "培训课时", "备件领用流程", "加班调休", "技能鉴定", "工器具借用"],
    "effect": ["影响装置稳定运行", "抢修时间被拉长", "夜班人员无法按时休息", "新员工容易出错", "存在安全隐患", "增加了无效工作量",
               "职工意见较大", "能耗明显上升", "质量指标波动", "现场整改反复"],
}
_SENTENCES = (
    "{where}{who}反映：{tag}{equip}近{n}天{fault}{k}次，{effect}，{ask}。",
    "{who}提到{m}月{d}日夜班{equip}{fault}，处理用了{h}个小时，{effect}。",
    "{where}的{life}问题已经反映过{k}次，目前仍未解决，{ask}。",
    "关于{mgmt}，{who}认为现行做法{effect}，建议每{n}天由班组长集中确认一次。",
    "{who}建议把{equip}{fault}的处置步骤写进岗位操作卡，并在{m}月前组织{k}次演练。",
    "{where}现有{k}名{who}，{mgmt}占用每班约{h}个小时，{ask}。",
    "{tag}{equip}运行电流{amp}安、温度{temp}℃，{who}担心{fault}，{ask}。",
)


def _text(rng: random.Random, chars: int) -> str:
    parts, size = [], 0
    while size < chars:
        slots = {name: rng.choice(words) for name, words in _PARTS.items()}
        s = rng.choice(_SENTENCES).format(
            where=rng.choice(_WHERE), who=rng.choice(_WHO), ask=rng.choice(_ASK),
            tag=f"{rng.choice('PKECV')}{rng.randint(101, 999)}", n=rng.randint(2, 30), k=rng.randint(2, 12),
            m=rng.randint(1, 12), d=rng.randint(1, 28), h=rng.randint(1, 9), amp=rng.randint(40, 260),
            temp=rng.randint(35, 95), **slots)
        parts.append(s)
        size += len(s)
    return "".join(parts)[:chars]


def _jpeg(rng: random.Random) -> bytes:
    """A small real JPEG (a shaded panel with a random tint), as a tablet's downscaled photo."""
    from PIL import Image

    base = (rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(60, 200))
    img = Image.new("RGB", (96, 64), base)
    px = img.load()
    for y in range(0, 64, 2):
        for x in range(0, 96, 3):
            px[x, y] = tuple(max(0, min(255, c + (x - y) // 2)) for c in base)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


# --- calendar ----------------------------------------------------------------------------------
def _workdays(cal: WorkCalendar, year: int) -> list[dt.date]:
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        if _is_workday(cal, day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


# --- organisation ------------------------------------------------------------------------------
def _roster_bytes(size: YearSize) -> bytes:
    from openpyxl import Workbook

    from tests.roster_files import COMPANY, DEPARTMENTS, HEADER, roster_rows, unit_paths

    rows = roster_rows(size.accounts - 2, size.employees)
    rows += [["A9001", "周桂芳", f"{COMPANY}/工会", "工会副主席", "监督小组", "", "在职"],
             ["A9002", "吴静", f"{COMPANY}/人力资源部", "保密管理员", "保密管理员", "", "在职"]]
    wb = Workbook(write_only=True)
    people = wb.create_sheet("人员名单")
    people.append(HEADER)
    for r in rows:
        people.append(r)
    units = wb.create_sheet("单位")
    units.append(["单位路径", "类型", "责任部门"])
    handlers = set(DEPARTMENTS[1:6])
    for path in unit_paths():
        name = path.rsplit("/", 1)[-1]
        units.append([path, "", "是" if name in handlers else "否"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _organisation(db: Database, size: YearSize, now: dt.datetime) -> None:
    from server.accounts.passwords import hash_password
    from server.roster.plan import apply_plan_tx, plan_import
    from server.store import in_transaction

    data = _roster_bytes(size)
    plan = plan_import(db, data)
    hashed = hash_password(BENCH_PASSWORD)
    passwords = {a["username"]: (BENCH_PASSWORD, hashed) for a in plan.added}
    in_transaction(db, lambda db: apply_plan_tx(db, data, actor="bench", now=now, apply_valid=False,
                                                passwords=passwords))
    db.conn.execute('UPDATE "user" SET must_change_password = 0')
    db.conn.commit()


@dataclass
class _People:
    ids: dict[str, str]                   # username → user id
    unit_of: dict[str, str]               # user id → unit id
    roles: dict[str, list[str]]           # user id → roles
    children: dict[str | None, list[str]]  # unit id → child unit ids
    kind: dict[str, str]                  # unit id → kind
    handler_units: list[str]

    def with_role(self, role: str) -> list[str]:
        return sorted(u for u, r in self.roles.items() if role in r)

    def handler_users(self, unit_id: str) -> list[str]:
        return [u for u in self.with_role("handler") if self.unit_of[u] == unit_id]


def _people(db: Database) -> _People:
    ids, unit_of, roles = {}, {}, {}
    for r in db.query('SELECT id, username, unit_id, roles FROM "user" WHERE disabled = 0'):
        ids[r["username"]], unit_of[r["id"]], roles[r["id"]] = r["id"], r["unit_id"], json.loads(r["roles"])
    children: dict[str | None, list[str]] = defaultdict(list)
    kind, handler_units = {}, []
    for r in db.query("SELECT id, parent_id, kind, is_handler_dept FROM org_unit ORDER BY sort, id"):
        children[r["parent_id"]].append(r["id"])
        kind[r["id"]] = r["kind"]
        if r["is_handler_dept"]:
            handler_units.append(r["id"])
    return _People(ids, unit_of, roles, children, kind, handler_units)


# --- tablets -----------------------------------------------------------------------------------
_Mutation = tuple[str, dict, dt.datetime | None]


class _Tablets:
    """One enrolled tablet per user, enrolled when first needed; consecutive mutation ids like the
    PWA's outbox. A refused mutation is a bug in this script: it stops the run, never half-generates."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.devices: dict[str, str] = {}
        self.next_id: dict[str, int] = {}
        self.actors: dict[str, Any] = {}
        self.mutations = 0

    def push(self, user_id: str, at: dt.datetime, mutations: list[_Mutation]) -> None:
        from server.accounts.service import enrol_device_tx
        from server.store import in_transaction
        from sync.actor import load_actor
        from sync.engine import apply_push
        from sync.wire import PROTOCOL, SCHEMA_VERSION, Mutation, PushRequest

        if user_id not in self.devices:
            self.devices[user_id] = in_transaction(
                self.db, lambda db: enrol_device_tx(db, user_id=user_id, device_name="压测平板",
                                                    now=at - dt.timedelta(hours=1)))
            self.next_id[user_id] = 1
            self.actors[user_id] = load_actor(self.db, user_id, self.devices[user_id])
        first = self.next_id[user_id]
        self.next_id[user_id] += len(mutations)
        request = PushRequest(protocol=PROTOCOL, schema_version=SCHEMA_VERSION, device_id=self.devices[user_id],
                              client_time=at, mutations=[Mutation(id=first + i, name=n, args=a, client_time=t)
                                                         for i, (n, a, t) in enumerate(mutations)])
        response = apply_push(self.db, self.actors[user_id], request, at)
        for m, r in zip(request.mutations, response.results, strict=True):
            if r.status != "applied":
                raise RuntimeError(f"bench year: {m.name} refused by the sync engine: {r}")
        self.mutations += len(mutations)


# --- one year ----------------------------------------------------------------------------------
def _plans(db: Database, people: _People, cadres: list[str], year: int, now: dt.datetime) -> dict:
    """HR's company plan: each cadre visits their unit once a quarter. → (cadre, quarter) → item id."""
    from sync import rowstore, visibility
    from sync.entities import PlanItemRow
    from sync.ids import new_id
    from sync.mutations.plan import period_bounds

    hr = people.with_role("hr")[0]
    stamp, out = now.isoformat(), {}
    for cadre in cadres:
        for quarter in range(1, 5):
            lo, hi = period_bounds(year, quarter, None)
            row = PlanItemRow(id=new_id(), scope="company", kind="quarterly", year=year, quarter=quarter, month=None,
                              cadre_id=cadre, unit_id=people.unit_of[cadre], window_start=lo, window_end=hi,
                              title="季度基层访谈", reason=None, created_by=hr, created_at=stamp, updated_at=stamp)
            rowstore.save(db, "plan_item", row, visibility.visibility_for(db, "plan_item", row), stamp)
            out[(cadre, quarter)] = row.id
    db.conn.commit()
    return out


def _interview_args(rng: random.Random, form: str, iid: str, unit: str, start: dt.datetime, people: _People,
                    plan_item: str | None) -> dict:
    template = next(s for s in INTERVIEWS if s["form"] == form)
    count = {"group": rng.randint(3, 5), "symposium": rng.randint(6, 10)}.get(form, 1 if form != "walkthrough" else 2)
    posts = ["操作工", "班长", "巡检工", "检修工", "安全员", "质检员", "仪表工", "库管员", "副操", "主操"]
    offset = rng.randrange(len(posts))  # a group's participants hold different posts
    args: dict[str, Any] = {
        "id": iid, "form": form, "unit_id": unit, "status": "submitted", "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=rng.randint(40, 110))).isoformat(),
        "place": rng.choice(_WHERE) + "会议室", "topics": template["topics"], "summary": _text(rng, 80),
        "participants": [{"post": posts[(i + offset) % len(posts)]} for i in range(count)],
    }
    if plan_item:
        args["plan_item_id"] = plan_item
    else:
        args["adhoc_reason"] = "临时加访：" + rng.choice(_WHAT)[:12]
    for name in ("theme", "channel", "absence_reason", "topic", "consensus", "disagreements"):
        if name in template:
            args[name] = template[name]
    if form == "symposium":
        args["departments"] = people.handler_units[:3]
    if "briefing" in template:
        args["briefing"] = {"conveyed": template["briefing"][0], "understood": template["briefing"][1]}
    return args


def _fate(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for name, share in FATES:
        acc += share
        if x < acc:
            return name
    return "closed"


def _year(db: Database, blobs, people: _People, tablets: _Tablets, size: YearSize, year: int,
          rng: random.Random, counts: dict[str, int]) -> None:
    from server.blobs.service import record_blob_tx
    from server.blobs.storage import ContentRange
    from server.evaluation.tickets import Scores, issue_tickets_tx, redeem_tx
    from server.store import in_transaction
    from server.supervision.draws import commit_tx, reveal_tx
    from sync.actor import load_actor
    from sync.ids import new_id

    cal = WorkCalendar.from_db(db)
    days = _workdays(cal, year)
    cadres = people.with_role("cadre")
    hr = people.with_role("hr")[0]
    leader = people.with_role("leader")[0]
    supervisor = people.with_role("supervisor")[0]
    plans = _plans(db, people, cadres, year, _at(dt.date(year, 1, 1), 8))
    used_plans: set[str] = set()
    copies: dict[str, list[str]] = {}  # cadre → the notes of their latest interview
    pushes: list[tuple[dt.datetime, int, str, list[_Mutation]]] = []

    def later(at: dt.datetime, user: str, muts: list[_Mutation]) -> None:
        pushes.append((at, len(pushes), user, muts))

    def photo(user: str, at: dt.datetime) -> tuple[str, int]:
        data = _jpeg(rng)
        sha = hashlib.sha256(data).hexdigest()
        if not blobs.exists(sha):
            blobs.discard(sha)
            blobs.append(sha, ContentRange(0, len(data) - 1, len(data)), data)
            blobs.finish(sha)
        actor = tablets.actors.get(user) or load_actor(db, user)
        in_transaction(db, lambda db: record_blob_tx(db, sha256=sha, size=len(data), mime="image/jpeg", actor=actor,
                                                     now=at))
        counts["photo_bytes"] += len(data)
        return sha, len(data)

    # Quarterly supervision draws, committed before each quarter starts (revealed after it ends, below).
    seeds = {}
    for quarter in range(1, 5):
        lo = dt.date(year, 3 * quarter - 2, 1)
        hi = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
        seed = hashlib.sha256(f"bench-{year}-{quarter}".encode()).hexdigest()
        draw = in_transaction(db, lambda db, lo=lo, hi=hi, seed=seed: commit_tx(
            db, load_actor(db, supervisor), period_start=lo, period_end=hi, rate=0.05,
            seed_sha256=hashlib.sha256(bytes.fromhex(seed)).hexdigest(), now=_at(lo, 8) - dt.timedelta(days=1)))
        seeds[draw.id] = (seed, _at(hi, 9) + dt.timedelta(days=3))
        counts["draws"] += 1

    for n in range(size.interviews):
        cadre = cadres[n % len(cadres)]
        day = days[(n * len(days)) // size.interviews]
        form = FORMS[n % len(FORMS)]
        home = people.unit_of[cadre]
        teams = people.children.get(home) or [home]
        unit = home if form == "symposium" else teams[n % len(teams)]
        quarter = (day.month - 1) // 3 + 1
        plan_item = plans.get((cadre, quarter))
        if plan_item in used_plans or unit != home or rng.random() < 0.3:
            plan_item = None
        if plan_item:
            used_plans.add(plan_item)
        iid = new_id()
        start = _at(day, rng.choice((9, 10, 14, 15)), rng.choice((0, 15, 30)))
        muts: list[_Mutation] = [("interview.save", _interview_args(rng, form, iid, unit, start, people, plan_item),
                                  None)]
        # A few records copied from the cadre's previous one (the formalism the supervision looks for).
        copied = copies.get(cadre) if rng.random() < COPIED_SHARE else None
        texts = copied or [_text(rng, size.note_chars) for _ in range(size.notes_per_interview)]
        copies[cadre] = texts
        counts["copied_interviews"] += copied is not None
        muts += [("note.add", {"id": new_id(), "interview_id": iid, "text": text},
                  start + dt.timedelta(minutes=4 * (j + 1))) for j, text in enumerate(texts)]
        synced = start + dt.timedelta(hours=3)
        for _ in range(size.photos_per_interview):
            sha, nbytes = photo(cadre, synced)
            muts.append(("attachment.add", {"id": new_id(), "parent_entity": "interview", "parent_id": iid,
                                            "sha256": sha, "mime": "image/jpeg", "size": nbytes,
                                            "name": "现场照片.jpg"}, start + dt.timedelta(minutes=30)))
        issues = []
        for _ in range(size.issues_per_interview):
            issue_id, dept = new_id(), rng.choice(people.handler_units)
            due = _after(cal, day, rng.choice((10, 20, 30)))
            muts.append(("issue.raise", {"id": issue_id, "interview_id": iid, "category": rng.choice(CATEGORIES),
                                         "description": _text(rng, 60), "unit_ids": [unit],
                                         "solution": _text(rng, 40), "owner": "责任部门负责人",
                                         "due_date": due.isoformat()}, None))
            issues.append((issue_id, dept, due))
        later(synced, cadre, muts)
        counts["interviews"] += 1
        counts["notes"] += size.notes_per_interview
        counts["photos"] += size.photos_per_interview
        counts["issues"] += len(issues)
        late = rng.random() < 0.08
        report_day = _after(cal, day, rng.randint(8, 10) if late else rng.randint(1, 5))
        report_at = _at(report_day, 16, rng.randint(0, 59))
        later(report_at, cadre, [("report.submit", {"interview_id": iid}, None)])
        counts["reports"] += 1
        for issue_id, dept, due in issues:
            for when, user, steps in _followups(rng, cal, issue_id, dept, due, report_day, people, hr, leader,
                                                supervisor):
                if any(name == "attachment.add" for name, _, _ in steps):
                    sha, nbytes = photo(user, when)
                    for name, args, _ in steps:
                        if name == "attachment.add":
                            args.update(sha256=sha, size=nbytes)
                later(when, user, steps)
                counts["followups"] += sum(name == "followup.add" for name, _, _ in steps)

    for at, _, user, muts in sorted(pushes, key=lambda p: (p[0], p[1])):
        tablets.push(user, at, muts)

    # Evaluations: tickets handed out at each interview, answered the same day (k-anonymous cells).
    def evaluate(db: Database) -> int:
        done = 0
        for n in range(size.interviews):
            cadre, day = cadres[n % len(cadres)], days[(n * len(days)) // size.interviews]
            for ticket in issue_tickets_tx(db, cadre, size.evaluations_per_interview, day):
                redeem_tx(db, ticket, Scores(attitude=rng.randint(3, 5), professionalism=rng.randint(3, 5),
                                             responsiveness=rng.randint(2, 5),
                                             comment=_text(rng, 20) if rng.random() < 0.3 else None), day)
                done += 1
        return done

    counts["evaluations"] += in_transaction(db, evaluate)
    for draw_id, (seed, at) in seeds.items():
        in_transaction(db, lambda db, d=draw_id, s=seed, at=at: reveal_tx(db, load_actor(db, supervisor), d, s, at))


def _followups(rng: random.Random, cal: WorkCalendar, issue_id: str, dept: str, due: dt.date,
               report_day: dt.date, people: _People, hr: str, leader: str, supervisor: str
               ) -> list[tuple[dt.datetime, str, list[_Mutation]]]:
    """The pushes of one problem's fate, each step on a later working day than the one before."""
    from sync.ids import new_id

    fate = _fate(rng)
    if fate == "raised":
        return []
    handlers = people.handler_users(dept)
    doer = handlers[0] if handlers else hr
    steps: list[tuple[str, dict]] = []
    if fate == "escalated":
        steps += [(hr, {"kind": "escalate", "text": "问题涉及多个部门，纳入经理层会议议题"}),
                  (leader, {"kind": "decide", "text": "由生产技术部牵头，相关部门配合，限期整改"})]
    steps.append((hr, {"kind": "assign", "handler_unit_id": dept, "owner": "责任部门负责人", "due_date": due.isoformat(),
                       **({"owner_user_id": doer} if handlers else {})}))
    if fate in ("progress", "resolved", "closed", "escalated", "overdue"):
        steps.append((doer, {"kind": "start"}))
        steps.append((doer, {"kind": "progress", "text": "已制定整改方案，正在落实"}))
    if fate in ("resolved", "closed"):
        steps.append((doer, {"kind": "resolve", "text": "整改完成，现场已恢复正常"}))
    if fate == "closed":
        steps.append((hr, {"kind": "close", "evidence_text": "现场核实整改到位", "verifier_id": supervisor}))
    out, day = [], report_day
    photo_id = None
    for user, args in steps:
        day = _after(cal, day, 1 if fate != "overdue" else 3)
        muts: list[_Mutation] = []
        if args["kind"] == "resolve" and fate == "closed":
            photo_id = new_id()
            muts.append(("attachment.add", {"id": photo_id, "parent_entity": "issue", "parent_id": issue_id,
                                            "sha256": "", "mime": "image/jpeg", "size": 0,
                                            "name": "整改后现场照片.jpg"}, None))
        if args["kind"] == "close" and photo_id:
            args = {**args, "evidence": [photo_id]}
        muts.append(("followup.add", {"id": new_id(), "issue_id": issue_id, **args}, None))
        out.append((_at(day, 10 + len(out) % 6, rng.randint(0, 59)), user, muts))
    return out


def generate(data_dir: Path, *, years: int = 1, size: YearSize = YearSize(), seed: int = 2025) -> Generated:
    """Fill an empty data directory (``fangtan init`` done) with ``years`` generated years."""
    from server.blobs.storage import BlobFiles
    from server.settings import Settings
    from server.store import connect

    started = time.perf_counter()
    settings = Settings.from_env(environ={}, data_dir=data_dir)
    db = connect(settings.db_path)
    first = LAST_YEAR - years + 1
    _organisation(db, size, _at(dt.date(first, 1, 1), 8) - dt.timedelta(days=7))
    people = _people(db)
    tablets = _Tablets(db)
    blobs = BlobFiles(settings.blob_dir)
    counts: dict[str, int] = defaultdict(int)
    rng = random.Random(seed)
    for year in range(first, LAST_YEAR + 1):
        _year(db, blobs, people, tablets, size, year, rng, counts)
    counts["mutations"] = tablets.mutations
    counts["accounts"] = len(people.ids)
    counts["units"] = len(people.kind)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return Generated(list(range(first, LAST_YEAR + 1)), dict(counts), time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    import argparse
    import subprocess
    import sys

    parser = argparse.ArgumentParser(prog="python -m bench.year", description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of a full year's size (tests: 0.01)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "server.cli", "init", "--data-dir", str(args.data_dir)], check=True)
    size = YearSize() if args.scale == 1.0 else YearSize().scaled(args.scale)
    done = generate(args.data_dir, years=args.years, size=size, seed=args.seed)
    print(json.dumps({"years": done.years, "seconds": round(done.seconds, 1), **done.counts}, ensure_ascii=False))


if __name__ == "__main__":
    main()
