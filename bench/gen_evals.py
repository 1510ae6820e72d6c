#!/usr/bin/env python3
"""gen_evals.py - synthetic self-evaluations (项目支出绩效自评表) for benchmarks.

Writes N self-evaluations in the interchange format (docs/format.md;
tests/data/seeds/*.json show the shape) as JSON Lines on stdout:

    bench/gen_evals.py N [--seed S] [--stats FILE] > out.jsonl

Each record is what a real table looks like: 15-25 level-3 indicators
(about 20) weighted 50/30/10 under 产出/效益/满意度 plus the 10-point budget
execution line; targets and actuals in the value forms of real tables
("≥95%", "≥ 90%", "不低于90%", "≤1小时", "≤ 2 天", "1项", "3 个",
"50万元", a bare "12" under "信息系统电费（万元）", "0.95", full-width
digits, and words such as 及时 / 达标 / 明显提升 / 长期 / 优秀 / 一般);
actuals mostly meet their targets, some miss; stated scores, completion
rates, execution rate, total and grade are computed correctly from the
data, except that about 5% of records carry a deliberate mistake (a line
score, the total, the execution rate or score, the grade, a weight, a funds
sum) and some missed targets have no deviation reason.

Deterministic: the same N and seed give the same bytes (random.Random).
Arithmetic is in integers (money in 分, percentages in 0.01%, times in
seconds, weights and scores in 0.01 points), so every stated figure is
exact. The record and indicator counts go to stderr, and with --stats to a
small JSON file, for the benchmark script.
"""
import argparse
import json
import random
import sys

# --- vocabulary -----------------------------------------------------------

# Qualitative words by tier (1 达成, 2 部分达成, 3 未达成).
TIER1 = ["达成", "及时", "达标", "明显提升", "显著提高", "有效提升", "长期",
         "优秀", "良好", "有效", "满意", "正常", "落实", "提高", "促进",
         "明显改善", "合格", "完成"]
TIER2_FOR = {  # a partial outcome phrased against the tier-1 target word
    "达成": "部分达成", "及时": "基本及时", "达标": "基本达标",
    "明显提升": "有所提升", "显著提高": "有所提高", "有效提升": "有所提升",
    "长期": "一般", "优秀": "一般", "良好": "一般", "有效": "有一定效果",
    "满意": "基本满意", "正常": "基本正常", "落实": "部分落实",
    "提高": "有所提高", "促进": "一般", "明显改善": "有所改善",
    "合格": "基本合格", "完成": "部分完成",
}
TIER3_FOR = {
    "达成": "未达成", "及时": "不及时", "达标": "未达标", "完成": "未完成",
    "合格": "不合格", "满意": "不满意", "落实": "未落实", "有效": "无效",
}

COUNT_UNITS = ["项", "个", "次", "人次", "台", "套", "场", "份", "家", "批"]

NOUNS = ["信息系统", "政务服务平台", "财政一体化系统", "社保卡服务", "农村饮水安全",
         "基层医疗卫生", "义务教育", "城乡环境整治", "就业创业服务", "公共文化服务",
         "农田水利设施", "道路养护", "森林防火", "食品安全抽检", "退役军人服务",
         "老年人健康管理", "困难群众救助", "档案数字化", "网络安全防护", "应急物资储备"]
ACTIONS = ["运行维护", "建设", "专项经费", "补助资金", "购置", "升级改造", "服务外包",
           "宣传培训", "监测", "保障经费"]
UNITS = ["行政审批服务管理局", "人力资源和社会保障局", "财政局", "卫生健康局",
         "教育局", "农业农村局", "水利局", "交通运输局", "民政局", "文化和旅游局",
         "自然资源局", "应急管理局", "市场监督管理局", "生态环境局", "退役军人事务局"]
PLACES = ["忻州市", "巴彦淖尔市", "富民县", "太原市小店区", "大同市", "昆明市",
          "临汾市", "晋中市", "呼和浩特市", "曲靖市", "长治市", "玉溪市"]

REASONS_MISS = [
    "受疫情影响，部分工作推迟实施，下一步将加快进度。",
    "采购流程较长，合同签订时间晚于计划，已督促供应商按期完成。",
    "项目预算年中调减，相应任务量减少，今后将及时调整绩效目标。",
    "部分设备到货延迟，已于次年一季度完成。",
    "服务对象调查样本不足，满意度偏低，将改进服务方式。",
    "人员变动导致工作衔接不畅，已完善内部管理制度。",
]
REASON_OVER = "实际需求增加，完成数超过年初计划，今后将合理设定目标值。"
GOAL_TEXT = ("通过项目实施，保障{n}正常运转，提升服务质量和效率，"
             "完成年度各项工作任务。")

GRADES = [(9000, ["优", "优秀"]), (8000, ["良", "良好"]), (6000, ["中", "中等"]),
          (0, ["差", "较差"])]

FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


# --- integer helpers --------------------------------------------------------

def rdiv(num, den):
    """round(num / den) half away from zero, num >= 0, den > 0."""
    return (2 * num + den) // (2 * den)


def fmt_fixed(v, places):
    """v (an integer count of 10^-places) as a decimal string, trailing
    zeros dropped: fmt_fixed(490, 2) -> '4.9'."""
    neg = v < 0
    v = -v if neg else v
    s = str(v).rjust(places + 1, "0")
    ip, fp = s[:-places], s[-places:].rstrip("0")
    out = ip + ("." + fp if fp else "")
    return "-" + out if neg else out


def fmt_fixed_keep(v, places):
    """Like fmt_fixed but keeps every place: 9806 -> '98.06'."""
    s = str(v).rjust(places + 1, "0")
    return s[:-places] + "." + s[-places:]


def jnum(v100):
    """A money/score figure in hundredths as a JSON number (int or float
    with at most 2 decimals: repr of the nearest double is the short form)."""
    if v100 % 100 == 0:
        return v100 // 100
    return v100 / 100


# --- indicators -------------------------------------------------------------

class Ind:
    """One indicator being built: texts plus, for scoring, either a
    quantitative (cmp, t, a) in a common integer base or a tier."""
    __slots__ = ("level1", "level2", "name", "target", "actual", "kind",
                 "cmp", "t", "a", "tier", "w100", "s100", "completion",
                 "reason", "missed", "over")


def pct_text(r, v100, op):
    """A percentage target/actual in one of the written forms."""
    n = fmt_fixed(v100, 2)
    x = r.random()
    if op == "":
        s = n + "%"
    elif op == "≥":
        if x < 0.55:
            s = "≥" + n + "%"
        elif x < 0.70:
            s = "≥ " + n + "%"
        elif x < 0.82:
            s = "不低于" + n + "%"
        elif x < 0.90:
            s = ">=" + n + "%"
        else:
            s = "≥" + n + "%"
            s = s.translate(FULLWIDTH)
    else:
        s = op + n + "%"
    return s


def actual_pct(r, a100):
    """An actual percentage: "96%", sometimes "0.96" or "96.00%"."""
    x = r.random()
    if x < 0.08 and a100 <= 10000 and a100 % 100 == 0:
        return fmt_fixed_keep(a100 // 100, 2) if a100 < 10000 else "1"
    if x < 0.14:
        return fmt_fixed_keep(a100, 2) + "%"
    if x < 0.18:
        return (fmt_fixed(a100, 2) + "%").translate(FULLWIDTH)
    return fmt_fixed(a100, 2) + "%"


def make_pct_ge(r, level1, level2, name, miss):
    ind = Ind()
    ind.level1, ind.level2, ind.name = level1, level2, name
    t = r.choice([8000, 8500, 9000, 9000, 9500, 9500, 9800, 10000, 10000])
    if miss:
        a = t - r.choice([300, 500, 800, 1000, 1500, 2000, 3500])
    else:
        a = min(10000, t + r.choice([0, 0, 0, 50, 100, 200, 300, 500]))
    if t == 10000 and r.random() < 0.4:
        ind.target = "100%"  # bare: the rule set decides (GE / EQ)
    else:
        ind.target = pct_text(r, t, "≥")
    ind.actual = actual_pct(r, a)
    ind.kind, ind.cmp, ind.t, ind.a = "q", "GE", t, a
    return ind


def make_count(r, level1, level2, miss):
    ind = Ind()
    ind.level1, ind.level2 = level1, level2
    u = r.choice(COUNT_UNITS)
    noun = r.choice(NOUNS)
    t = r.choice([1, 1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 30, 50, 100, 200, 500])
    if miss:
        a = max(0, t - max(1, t * r.choice([5, 10, 20, 40]) // 100))
    elif r.random() < 0.03:
        a = t * 3 // 2 + 1  # far above plan
    else:
        a = t + (r.choice([0, 0, 0, 1]) if t > 2 else 0)
    x = r.random()
    if x < 0.20:
        ind.name = noun + "数量（" + u + "）"
        ind.target = str(t)
        ind.actual = str(a) if r.random() < 0.6 else str(a) + u
        cmp = "GE"
    elif x < 0.45:
        ind.name = noun + "覆盖数量"
        ind.target = "≥" + str(t) + u
        ind.actual = str(a) + u
        cmp = "GE"
    elif x < 0.55:
        ind.name = noun + "完成数"
        ind.target = "不少于" + str(t) + u
        ind.actual = str(a) + u
        cmp = "GE"
    elif x < 0.80:
        ind.name = noun + "任务数"
        ind.target = str(t) + u
        ind.actual = str(a) + u
        cmp = "GE"  # bare: EQ or GE, scored the same way when short
    else:
        ind.name = noun + "服务次数"
        ind.target = str(t) + " " + u
        ind.actual = str(a) + " " + u
        cmp = "GE"
    ind.kind, ind.cmp, ind.t, ind.a = "q", cmp, t, a
    return ind


TIME_UNITS = [("小时", 3600), ("天", 86400), ("个工作日", 86400),
              ("分钟", 60)]


def make_time(r, level1, level2, miss):
    ind = Ind()
    ind.level1, ind.level2 = level1, level2
    ind.name = r.choice(["系统故障响应时间", "问题处置时限", "资金拨付时间",
                         "业务办理时限", "故障修复响应时间"])
    uname, ufac = r.choice(TIME_UNITS)
    tn = {"小时": [1, 2, 4, 24, 48], "天": [1, 2, 3, 5, 7, 15, 30],
          "个工作日": [3, 5, 7, 10], "分钟": [15, 30, 60]}[uname]
    tn = r.choice(tn)
    t = tn * ufac
    if miss:
        a_units = tn * r.choice([120, 150, 180]) // 100
        a = a_units * ufac
        at = str(a_units) + uname
    elif uname == "小时" and r.random() < 0.3:
        am = r.choice([15, 30, 45])
        a = min(t, am * 60)
        at = str(a // 60) + "分钟"
    elif uname == "天" and tn > 1 and r.random() < 0.3:
        a = (tn - 1) * 86400
        at = str(tn - 1) + "天"
    else:
        a = t
        at = str(tn) + uname
    x = r.random()
    if x < 0.55:
        ind.target = "≤" + str(tn) + uname
    elif x < 0.75:
        ind.target = "≤ " + str(tn) + " " + uname
    elif x < 0.88:
        ind.target = "不超过" + str(tn) + uname
    else:
        ind.target = "<=" + str(tn) + uname
    ind.actual = at
    ind.kind, ind.cmp, ind.t, ind.a = "q", "LE", t, a
    return ind


def make_money(r, level1, level2, miss, cost):
    """Money in 分. Cost lines are ≤ (or bare with the unit in the name);
    a money amount under 数量 is bare (the seed 000 layout)."""
    ind = Ind()
    ind.level1, ind.level2 = level1, level2
    noun = r.choice(NOUNS)
    # targets in 0.01 万元: 3, 5, 7, 8.57, 12, 27, 38, 42.3, 55.32 ... 万元
    t100 = r.choice([300, 500, 700, 857, 1200, 2000, 2700, 3800, 4230, 5000,
                     5532, 8000, 8730, 12000, 13400, 25000])
    if cost:
        if miss:
            a100 = t100 * r.choice([110, 125, 150]) // 100
        else:
            a100 = t100 * r.choice([100, 100, 100, 98, 95, 90, 85, 72]) // 100
        x = r.random()
        if x < 0.35:
            ind.name = noun + "经费（万元）"
            ind.target = fmt_fixed(t100, 2)
            ind.actual = fmt_fixed(a100, 2) + (
                "万元" if r.random() < 0.5 else "")
            cmp = "LE_BARE"
        elif x < 0.75:
            ind.name = noun + "成本"
            ind.target = "≤" + fmt_fixed(t100, 2) + "万元"
            ind.actual = fmt_fixed(a100, 2) + "万元"
            cmp = "LE"
        elif x < 0.88:
            ind.name = noun + "成本控制"
            ind.target = "不超过" + fmt_fixed(t100, 2) + "万元"
            ind.actual = fmt_fixed(a100, 2) + "万元"
            cmp = "LE"
        else:
            ind.name = noun + "支出"
            ind.target = "≤ " + fmt_fixed(t100, 2) + " 万元"
            ind.actual = fmt_fixed(a100, 2) + " 万元"
            cmp = "LE"
    else:
        if miss:
            a100 = t100 * r.choice([0, 50, 80]) // 100
        else:
            a100 = t100
        ind.name = noun + r.choice(["建设", "采购", "服务费"])
        ind.target = fmt_fixed(t100, 2) + "万元"
        ind.actual = fmt_fixed(a100, 2) + "万元"
        cmp = "GE"
    ind.kind, ind.cmp, ind.t, ind.a = "q", cmp, t100, a100
    return ind


def make_zero(r, level1, level2, miss):
    """'=0起' style: a target of zero incidents."""
    ind = Ind()
    ind.level1, ind.level2 = level1, level2
    ind.name = r.choice(["安全责任事故", "重大网络安全事件", "群众有效投诉"])
    u = r.choice(["起", "次", "件"])
    a = r.choice([1, 2]) if miss else 0
    ind.target = "=0" + u
    ind.actual = str(a) + u
    ind.kind, ind.cmp, ind.t, ind.a = "q", "EQ", 0, a
    return ind


def make_word(r, level1, level2, name, word, miss):
    ind = Ind()
    ind.level1, ind.level2, ind.name = level1, level2, name
    ind.target = word
    ind.kind = "w"
    if miss:
        if word in TIER3_FOR and r.random() < 0.3:
            ind.actual, ind.tier = TIER3_FOR[word], 3
        else:
            ind.actual, ind.tier = TIER2_FOR[word], 2
    elif r.random() < 0.12:
        ind.actual, ind.tier = "100%", 1  # a rate against a word target
    else:
        ind.actual, ind.tier = word, 1
    return ind


def level_output(r, n, misses):
    """产出指标: n lines over 数量/质量/时效/成本."""
    out = []
    for i in range(n):
        miss = misses[i]
        k = i % 4
        if k == 0:
            if r.random() < 0.25:
                out.append(make_money(r, "产出指标", "数量指标", miss, False))
            else:
                out.append(make_count(r, "产出指标", "数量指标", miss))
        elif k == 1:
            x = r.random()
            if x < 0.55:
                out.append(make_pct_ge(r, "产出指标", "质量指标",
                                       r.choice(NOUNS) + r.choice(
                                           ["验收合格率", "正常运行率",
                                            "故障解决率（%）", "达标率"]),
                                       miss))
            elif x < 0.80:
                out.append(make_word(r, "产出指标", "质量指标",
                                     r.choice(NOUNS) + "质量",
                                     r.choice(["达标", "合格", "优秀", "良好"]),
                                     miss))
            else:
                out.append(make_zero(r, "产出指标", "质量指标", miss))
        elif k == 2:
            x = r.random()
            if x < 0.5:
                out.append(make_time(r, "产出指标", "时效指标", miss))
            elif x < 0.8:
                out.append(make_word(r, "产出指标", "时效指标",
                                     r.choice(NOUNS) + "及时性", "及时", miss))
            else:
                out.append(make_pct_ge(r, "产出指标", "时效指标",
                                       r.choice(NOUNS) + "完成及时率", miss))
        else:
            out.append(make_money(r, "产出指标", "成本指标", miss, True))
    return out


def level_outcome(r, n, misses):
    """效益指标: social / economic / sustainable lines."""
    out = []
    for i in range(n):
        miss = misses[i]
        x = r.random()
        if x < 0.45:
            out.append(make_word(r, "效益指标", "社会效益指标",
                                 r.choice(NOUNS) + r.choice(
                                     ["服务水平", "保障能力", "群众获得感"]),
                                 r.choice(["明显提升", "显著提高", "有效提升",
                                           "提高", "促进", "有效"]),
                                 miss))
        elif x < 0.65:
            out.append(make_word(r, "效益指标", "可持续影响指标",
                                 r.choice(["持续发挥作用期限", "长效机制建设",
                                           "可持续影响"]),
                                 r.choice(["长期", "落实", "正常"]), miss))
        elif x < 0.85:
            out.append(make_pct_ge(r, "效益指标", "社会效益指标",
                                   r.choice(NOUNS) + r.choice(
                                       ["覆盖率", "知晓率", "持卡率（%）"]),
                                   miss))
        elif x < 0.93:
            out.append(make_word(r, "效益指标", "生态效益指标",
                                 "生态环境改善", "明显改善", miss))
        else:
            out.append(make_word(r, "效益指标", "经济效益指标",
                                 "带动相关产业发展", "促进", miss))
    return out


def level_satisfaction(r, n, misses):
    out = []
    names = ["服务对象满意度", "群众满意度", "工作人员满意度", "各单位满意度（%）"]
    for i in range(n):
        miss = misses[i]
        if r.random() < 0.12:
            out.append(make_word(r, "满意度指标", "服务对象满意度指标",
                                 names[i % 4], "满意", miss))
        else:
            out.append(make_pct_ge(r, "满意度指标", "服务对象满意度指标",
                                   names[i % 4], miss))
    return out


def split_weight(r, total100, n):
    """total100 (0.01 points) over n lines: whole points, near equal,
    shuffled, each >= 1 point; sometimes a half point moved."""
    base, rem = divmod(total100 // 100, n)
    ws = [(base + (1 if i < rem else 0)) * 100 for i in range(n)]
    for _ in range(n // 3):
        i, j = r.randrange(n), r.randrange(n)
        if i != j and ws[i] > 200:
            d = 50 if r.random() < 0.2 else 100
            ws[i] -= d
            ws[j] += d
    r.shuffle(ws)
    return ws


def score_ind(ind):
    """The correct score (0.01 points) and completion (0.01%, or None) of a
    built indicator, as the default rule set computes them."""
    w = ind.w100
    ind.over = False
    if ind.kind == "w":
        # tier 1 full; tier 2 70% of the weight; tier 3 30%
        s = {1: w, 2: rdiv(w * 70, 100), 3: rdiv(w * 30, 100)}[ind.tier]
        return s, (10000 if ind.tier == 1 else None)
    t, a, cmp = ind.t, ind.a, ind.cmp
    comp = rdiv(a * 10000, t) if t > 0 else None
    if cmp in ("GE", "EQ"):
        if t <= 0:
            return (w if (a <= 0 or cmp == "GE") else 0), comp
        if a >= t:
            ind.over = a * 10 >= t * 13
            return w, comp
        return rdiv(w * a, t), comp
    # LE, LE_BARE
    if a <= t:
        return w, comp
    if a >= 2 * t:
        return 0, comp
    return rdiv(w * (2 * t - a), t), comp


def completion_text(r, ind, s, comp):
    """What a table writes in 完成率, or None (some layouts have none)."""
    if comp is None:
        return "100%" if ind.kind == "w" and ind.tier == 1 else None
    if s == ind.w100 and ind.kind == "q" and (
            ind.cmp.startswith("LE") or r.random() < 0.5):
        return "100%" if r.random() < 0.5 else "100.00%"
    return fmt_fixed_keep(comp, 2) + "%"


def make_funds(r, err):
    """Funds in 分 (0.01 万元). Returns (funds dict, exec score in 0.01)."""
    annual = r.randrange(500, 50000) * 100 + r.choice([0, 0, 50, 13, 70])
    initial = annual if r.random() < 0.7 else annual + r.randrange(1, 2000) * 100
    rate_pm = r.choice([10000, 10000, 10000, 9950, 9800, 9600, 9300, 9000,
                        8500, 7200])  # executed/annual in 0.01%
    received = annual if r.random() < 0.85 else annual * r.choice([95, 98]) // 100
    executed = min(received, annual * rate_pm // 10000)
    rate4 = rdiv(executed * 10000, annual)  # 0.01%
    s100 = min(1000, rdiv(1000 * executed, annual))
    rate_text = fmt_fixed_keep(rate4, 2) + "%"
    if rate4 == 10000 and r.random() < 0.5:
        rate_text = "100%"
    stated_score = s100
    if err == "exec_rate":
        rate_text = fmt_fixed_keep(
            rdiv(executed * 10000, initial) if initial != annual
            else max(0, rate4 - r.choice([150, 300, 500])), 2) + "%"
    elif err == "exec_score":
        stated_score = 1000 if s100 < 1000 else 900
    # sources: 当年财政拨款 takes most, 上年结转资金 sometimes, 其他资金 empty
    if r.random() < 0.3:
        carry = annual * r.choice([10, 20, 30]) // 100
    else:
        carry = 0
    fiscal = annual - carry
    fexec = min(fiscal, executed)
    cexec = executed - fexec
    finit = initial - carry
    frecv = received - carry if received >= carry else received
    crecv = received - frecv
    if err == "funds_sum":
        fiscal += r.choice([100, 1000, -500])
    if r.random() < 0.25:
        sources = {
            "当年财政拨款": [jnum(finit), jnum(fiscal), jnum(fexec)],
            "上年结转资金": [jnum(carry), jnum(carry), jnum(cexec)]
            if carry else [None, None, None],
            "其他资金": [None, None, None],
        }
    else:
        sources = {
            "当年财政拨款": {"initial": jnum(finit), "annual": jnum(fiscal),
                          "received": jnum(frecv), "executed": jnum(fexec)},
            "上年结转资金": {"initial": jnum(carry) if carry else None,
                          "annual": jnum(carry) if carry else None,
                          "received": jnum(crecv) if carry else None,
                          "executed": jnum(cexec) if carry else None},
            "其他资金": {"initial": None, "annual": None,
                       "received": None, "executed": None},
        }
    funds = {
        "unit": "万元",
        "initial_budget": jnum(initial),
        "annual_budget": jnum(annual),
        "received": jnum(received),
        "executed": jnum(executed),
        "balance_stated": jnum(received - executed),
        "exec_rate_stated": rate_text,
        "exec_weight": 10,
        "exec_score_stated": jnum(stated_score),
        "sources": sources,
    }
    return funds, stated_score, s100


ERRORS = ["score", "total", "exec_rate", "exec_score", "grade", "weight",
          "funds_sum", "cost_prop"]
ERROR_WEIGHTS = [30, 15, 15, 8, 10, 7, 5, 10]


def make_eval(r, idx):
    err = None
    if r.random() < 0.05:
        err = r.choices(ERRORS, ERROR_WEIGHTS)[0]
    n = r.randint(15, 25)
    n_sat = 1 if n < 19 else 2
    n_outc = r.randint(3, 6)
    n_out = n - n_sat - n_outc
    miss_p = r.choice([0.0, 0.0, 0.02, 0.05, 0.10])
    inds = (level_output(r, n_out, [r.random() < miss_p for _ in range(n_out)])
            + level_outcome(r, n_outc,
                            [r.random() < miss_p for _ in range(n_outc)])
            + level_satisfaction(r, n_sat,
                                 [r.random() < miss_p for _ in range(n_sat)]))
    ws = (split_weight(r, 5000, n_out) + split_weight(r, 3000, n_outc)
          + split_weight(r, 1000, n_sat))
    funds, exec_stated, _ = make_funds(r, err)
    total_w = 1000
    total_s = exec_stated
    lines = []
    wrong_line = r.randrange(n) if err in ("score", "cost_prop") else -1
    for i, ind in enumerate(inds):
        ind.w100 = ws[i]
        s, comp = score_ind(ind)
        stated = s
        if i == wrong_line:
            if err == "cost_prop" and ind.kind == "q" and ind.t > 0:
                # scored proportionally whatever the direction (seed 000)
                stated = min(ind.w100, rdiv(ind.w100 * ind.a, ind.t))
            if stated == s:
                stated = s - 50 if s >= 50 else s + 50
        completion = completion_text(r, ind, s, comp)
        reason = ""
        if s < ind.w100:
            if r.random() < 0.8:
                reason = r.choice(REASONS_MISS)
        elif ind.over and r.random() < 0.5:
            reason = REASON_OVER
        total_w += ind.w100
        total_s += stated
        o = {"level1": ind.level1, "level2": ind.level2, "name": ind.name,
             "target": ind.target, "actual": ind.actual,
             "weight": jnum(ind.w100), "score_stated": jnum(stated)}
        if completion is not None:
            o["completion_stated"] = completion
        o["deviation_reason"] = reason
        lines.append(o)
    if err == "weight":
        j = r.randrange(n)
        lines[j]["weight"] = jnum(ws[j] + 100)
        total_w += 100
    total_stated = total_s
    if err == "total":
        total_stated += r.choice([-300, -100, -50, 50, 100, 200])
    grade = None
    for lo, names in GRADES:
        if total_stated >= lo:
            grade = names[0] if r.random() < 0.7 else names[1]
            break
    if err == "grade":
        grade = "优" if total_stated < 9000 else "良"
    place = r.choice(PLACES)
    unit = r.choice(UNITS)
    noun = r.choice(NOUNS)
    title = noun + r.choice(ACTIONS) + "项目"
    return {
        "id": "bench-%07d" % idx,
        "title": title,
        "unit": place + unit,
        "department": place + unit,
        "year": r.choice([2021, 2022, 2023, 2024]),
        "kind": "self",
        "funds": funds,
        "goals": [{"expected": GOAL_TEXT.format(n=noun),
                   "achieved": "已完成年度目标。" if miss_p == 0 else
                   "基本完成年度目标，个别指标未达到预期。"}],
        "indicators": lines,
        "total_weight_stated": jnum(total_w),
        "total_score_stated": jnum(total_stated),
        "grade_stated": grade,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of self-evaluations")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stats", help="write {records, indicators} here")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("N must be >= 0")
    r = random.Random(args.seed)
    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    nind = 0
    buf = []
    for i in range(args.n):
        e = make_eval(r, i + 1)
        nind += len(e["indicators"])
        buf.append(dumps(e))
        if len(buf) >= 1000:
            buf.append("")
            out.write("\n".join(buf))
            buf = []
    if buf:
        buf.append("")
        out.write("\n".join(buf))
    out.flush()
    print("gen_evals: %d records, %d indicators" % (args.n, nind),
          file=sys.stderr)
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as f:
            json.dump({"records": args.n, "indicators": nind, "seed": args.seed},
                      f)
            f.write("\n")


if __name__ == "__main__":
    main()
