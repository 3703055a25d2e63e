"""The benchmark workload: interview notes of ~600 bytes of realistic Chinese, made deterministically
(the same notes in every run and for every system measured)."""

from __future__ import annotations

import random
import uuid

PROMPTS = [
    "business.1",
    "business.2",
    "business.3",
    "management.1",
    "management.2",
    "management.3",
    "demand.1",
    "demand.2",
    "demand.3",
    "suggestion.1",
    "suggestion.2",
]

_WHO = ["班组长", "操作工", "检修工", "设备员", "安全员", "倒班职工", "新入职员工", "质检员", "仪表工", "司炉工"]
_WHERE = [
    "甲醇合成工段",
    "精馏塔区",
    "空分装置",
    "循环水泵房",
    "锅炉房",
    "中控室",
    "备件库房",
    "装车站台",
    "污水处理站",
    "压缩机厂房",
]
_WHAT = [
    "回流泵机械密封频繁泄漏，每周停车检修两次，影响产量",
    "夜班交接记录填写不规范，上下班之间对设备状态理解不一致",
    "备件申领流程审批环节多，急用件往往要等三到五天才能到位",
    "劳保用品发放标准多年未调整，防护手套磨损快、数量不够",
    "绩效考核指标偏重产量，安全隐患排查的工作量没有体现",
    "倒班宿舍热水供应时间短，夜班下班后经常没有热水洗澡",
    "新员工师带徒制度落实不到位，培训以口头讲解为主缺少实操",
    "中控室显示屏老化，报警信息刷新延迟，操作人员担心误判",
    "车间与设备管理部沟通渠道不畅，故障报修后进度无人反馈",
    "职工希望增加技能等级晋升通道，打通操作岗到技术岗的路径",
    "建议在装车站台加装防雨棚，雨季装车作业滑倒风险较高",
    "循环水加药由人工改为自动计量，可以减少药剂浪费约一成",
]
_ASK = [
    "希望尽快协调解决",
    "建议列入本季度整改计划",
    "请相关部门明确责任人和完成时限",
    "职工普遍关注，希望有答复",
    "可由车间先行试点后推广",
    "需要公司层面给予政策支持",
]


def note_text(i: int, target_bytes: int = 600) -> str:
    """Note ``i``: sentences of shop-floor feedback until ~``target_bytes`` of UTF-8."""
    rng = random.Random(i)
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        sentence = f"{rng.choice(_WHERE)}{rng.choice(_WHO)}反映：{rng.choice(_WHAT)}，{rng.choice(_ASK)}。"
        parts.append(sentence)
        size += len(sentence.encode())
    text = "".join(parts)
    while len(text.encode()) > target_bytes + 2:
        text = text[:-1]
    return text


def note_id(i: int) -> str:
    """A deterministic UUIDv7-shaped id (version 7, RFC 4122 variant) for note ``i``."""
    raw = bytearray(random.Random(f"note-{i}").randbytes(16))
    raw[0:6] = (1_764_000_000_000 + i).to_bytes(6, "big")  # time-ordered, like a real UUIDv7
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(raw)))


def note_args(i: int, interview_id: str) -> dict:
    return {
        "id": note_id(i),
        "interview_id": interview_id,
        "prompt_id": PROMPTS[i % len(PROMPTS)],
        "text": note_text(i),
    }
