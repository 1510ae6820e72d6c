#!/usr/bin/env python3
"""reference_check.py - the checks of `jixiao check`, as a straightforward
Python script: the reference the C implementation is timed against.

    bench/reference_check.py [--verbose] FILE.jsonl [> results.jsonl]

Reads self-evaluations in the interchange format, one JSON object per line,
and writes one JSON result per input line in the shape of
`jixiao check --format json`: the computed execution line, total and grade
with their traces, and the findings (code, severity, where, stated,
computed, message); with --verbose also the confirmations and each
indicator's result with its trace, as `jixiao check --verbose`. Exit status
1 when any finding is an error, as jixiao's.

It does the same work per indicator as src/core/score.c and audit.c under
the default rule set (mof-2020: 50/30/10/10, qualitative bands 80%/60%,
grades 90/80/60, ≤ scored linearly to 0 at twice the target, a bare number
read as ≤ under 成本 and as = elsewhere), written the way an analyst would
script it: json for parsing (numbers as decimal.Decimal, so money and ratios
are exact), regular expressions for the value strings, a tier dictionary for
qualitative words (rules/mof-2020.json's vocabulary when the file is there,
else a small built-in one). Traces and messages are built only when they
are written. On bench/gen_evals.py data it reports the same findings as
jixiao; message texts may differ. Standard library only.
"""
import json
import os
import re
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

D0 = Decimal(0)
D1 = Decimal(1)
D100 = Decimal(100)
Q2 = Decimal("0.01")
Q4 = Decimal("0.0001")
Q6 = Decimal("0.000001")

# --- the default rule set ---------------------------------------------------

LEVEL1 = {"产出指标": Decimal(50), "效益指标": Decimal(30),
          "满意度指标": Decimal(10)}
LEVEL1_ALIAS = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
EXEC_WEIGHT = Decimal(10)
TOTAL_WEIGHT = Decimal(100)
TOL_SCORE = Q2
TOL_RATE = Q2  # percentage points
TOL_MONEY = Q2
OVER_RATIO = Decimal("1.3")
LARGE_OVER = Decimal(2)
LARGE_UNDER = Decimal("0.5")
EXEC_REASON_BELOW = Decimal("0.9")
# tier -> (outcome, lo, lo inclusive, hi, hi inclusive, suggested), of w
TIERS = {1: ("met", Decimal("0.8"), True, D1, True, D1),
         2: ("partial", Decimal("0.6"), True, Decimal("0.8"), False,
             Decimal("0.7")),
         3: ("not_met", D0, True, Decimal("0.6"), False, Decimal("0.3"))}
WORD_TIER = {}
for _w in ("达成", "达成年度指标", "达成预期指标", "及时", "达标", "明显提升",
           "显著提高", "显著提升", "有效提升", "明显提高", "长期", "优秀", "良好",
           "有效", "满意", "正常", "落实", "提高", "提升", "促进", "持续",
           "可持续", "明显改善", "改善", "合格", "完成", "是", "好", "高"):
    WORD_TIER[_w] = 1
for _w in ("部分达成", "基本达成", "基本及时", "基本达标", "有所提升", "有所提高",
           "一般", "基本有效", "基本满意", "基本正常", "基本落实", "有所改善",
           "基本合格", "基本完成", "较好", "中"):
    WORD_TIER[_w] = 2
for _w in ("未达成", "不及时", "未达标", "未完成", "不合格", "不满意", "未落实",
           "无效", "较差", "差", "否", "低"):
    WORD_TIER[_w] = 3


def load_vocabulary(path):
    """The qualitative words of the rule set file, when it is there (the
    same rules/mof-2020.json jixiao reads); the small table above if not."""
    try:
        with open(path, encoding="utf-8") as f:
            voc = json.load(f).get("vocabulary") or {}
    except (OSError, ValueError):
        return
    for tier, words in voc.items():
        for w in words:
            WORD_TIER[w.translate(FOLD)] = int(tier)


GRADES = [("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)),
          ("差", D0)]
GRADE_ALIAS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中",
               "中等": "中", "一般": "中", "差": "差", "较差": "差"}
BLANK_REASON = {"", "无", "/", "-", "—", "——", "无。", "不适用"}

# --- value strings ------------------------------------------------------------

# unit -> (dimension, factor to the base unit)
UNITS = {"元": ("money", D1), "千元": ("money", Decimal(1000)),
         "万元": ("money", Decimal(10000)), "亿元": ("money", Decimal(10) ** 8),
         "%": ("ratio", Decimal("0.01")), "百分比": ("ratio", Decimal("0.01")),
         "‰": ("ratio", Decimal("0.001")),
         "秒": ("time", D1), "分钟": ("time", Decimal(60)),
         "小时": ("time", Decimal(3600)), "个小时": ("time", Decimal(3600)),
         "天": ("time", Decimal(86400)), "日": ("time", Decimal(86400)),
         "个工作日": ("time", Decimal(86400)),
         "工作日": ("time", Decimal(86400)), "周": ("time", Decimal(604800)),
         "个月": ("time", Decimal(2592000)), "月": ("time", Decimal(2592000)),
         "年": ("time", Decimal(31536000))}
for _u in ("项", "个", "次", "人次", "台", "套", "场", "份", "家", "批", "人",
           "件", "户", "篇", "本", "条", "所", "处", "起", "例", "辆", "类"):
    UNITS[_u] = ("count:" + _u, D1)
UNIT_CANON = {"日": "天", "工作日": "个工作日", "个小时": "小时", "百分比": "%"}

FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                      "．": ".", "％": "%", "＜": "<", "＞": ">", "＝": "=",
                      "，": ",", "（": "(", "）": ")", "　": None, " ": None,
                      "\t": None})
CMP_WORDS = {"≥": "GE", ">=": "GE", "不低于": "GE", "不少于": "GE",
             "大于等于": "GE", "达到": "GE", "≤": "LE", "<=": "LE",
             "不高于": "LE", "不超过": "LE", "小于等于": "LE", "控制在": "LE",
             "=": "EQ", "等于": "EQ", ">": "GT", "大于": "GT", "高于": "GT",
             "超过": "GT", "<": "LT", "小于": "LT", "低于": "LT"}
CMP_SYMBOL = {"GE": "≥", "LE": "≤", "EQ": "=", "GT": ">", "LT": "<", None: ""}
VALUE_RE = re.compile(
    r"^(≥|>=|≤|<=|不低于|不少于|大于等于|达到|不高于|不超过|小于等于|控制在|等于"
    r"|大于|高于|超过|小于|低于|[=><])?"
    r"([-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?)"
    r"([^\d]*?)(以上|以内|以下)?$")
NAME_UNIT_RE = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")
EMPTY_TEXT = {"", "-", "—", "/", "无"}


def parse_value(text, name):
    """(kind, cmp, number, unit, unit_from_name, word) for a target or
    actual; kind is 'empty', 'number', 'word' or 'unparsed'."""
    if text is None:
        return ("empty", None, None, None, False, None)
    s = str(text).translate(FOLD)
    if s in EMPTY_TEXT:
        return ("empty", None, None, None, False, None)
    m = VALUE_RE.match(s)
    if m is None:
        if any(c.isdigit() for c in s):
            return ("unparsed", None, None, None, False, None)
        return ("word", None, None, None, False, s)
    cmp = CMP_WORDS.get(m.group(1)) if m.group(1) else None
    if m.group(4):
        cmp = cmp or ("GE" if m.group(4) == "以上" else "LE")
    num = Decimal(m.group(2).replace(",", ""))
    unit = m.group(3) or None
    from_name = False
    if unit is not None:
        if unit not in UNITS:
            return ("unparsed", None, None, None, False, None)
        unit = UNIT_CANON.get(unit, unit)
    elif name:
        nm = NAME_UNIT_RE.search(name)
        if nm and nm.group(1).translate(FOLD) in UNITS:
            unit = UNIT_CANON.get(nm.group(1), nm.group(1).translate(FOLD))
            from_name = True
    return ("number", cmp, num, unit, from_name, None)


def value_text(v):
    if v[0] == "number":
        return "%s%s%s" % (CMP_SYMBOL[v[1]], fmt(v[2]), v[3] or "")
    if v[0] == "word":
        return v[5]
    return None


def align(t, a):
    """Target and actual numbers in one base unit, or None when the units
    measure different things. A side without a unit takes the other's; a
    number with no unit of its own and |n| <= 1 against a ratio above 1% is
    already a fraction ("0.95" against "≥90%")."""
    tn, an = t[2], a[2]
    tu, au = t[3], a[3]
    t_own = tu is not None and not t[4]
    a_own = au is not None and not a[4]
    if tu is None and au is None:
        return tn, an
    if tu is None:
        tu = au
    if au is None:
        au = tu
    dt, ft = UNITS[tu]
    da, fa = UNITS[au]
    if dt != da:
        return None
    tb, ab = tn * ft, an * fa
    if dt == "ratio":
        if not t_own and abs(tn) <= 1 and ab > Decimal("0.01"):
            tb = tn
        elif not a_own and abs(an) <= 1 and tb > Decimal("0.01"):
            ab = an
    return tb, ab


def fmt(d):
    """A Decimal without exponent or trailing zeros."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if s != "-0" else "0"


def num(d):
    """A Decimal as a JSON number: an int when whole, else a float (the
    figures written are rounded to 2 places, so the float prints exactly)."""
    return int(d) if d == d.to_integral_value() else float(d)


def fmt2(d):
    return format(d.quantize(Q2, ROUND_HALF_UP), "f")


def rnd(d, q=Q2):
    return d.quantize(q, ROUND_HALF_UP)


def to_dec(v):
    """A JSON figure (Decimal, int, numeric string, '' or None) as Decimal
    or None."""
    if v is None or v == "":
        return None
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    try:
        return Decimal(str(v).strip().rstrip("%").rstrip("％"))
    except InvalidOperation:
        return None


def rate_percent(text):
    """A stated rate as written ("98.06%", "100%", "0.95") in percent and
    the tolerance its precision implies, or None."""
    if text is None:
        return None
    if not isinstance(text, str):
        d = to_dec(text)
        return None if d is None else (d, half_unit(d))
    v = parse_value(text, None)
    if v[0] != "number" or v[1] is not None:
        return None
    if v[3] == "%":
        return v[2], half_unit(v[2])
    if v[3] is not None:
        return None
    if v[2] <= 1:
        return v[2] * 100, half_unit(v[2]) * 100
    return v[2], half_unit(v[2])


def half_unit(d):
    exp = d.normalize().as_tuple().exponent
    if not isinstance(exp, int) or exp >= 0:
        return Decimal("0.5")
    return Decimal(5).scaleb(exp - 1)


def level1_of(name):
    if name in LEVEL1:
        return name
    return LEVEL1_ALIAS.get(name)


def bare_cmp(level2):
    """What a target without ≥/≤/= means under the rule set: ≤ under the
    cost indicators, = elsewhere (scored like ≥ when short of it)."""
    return "LE" if level2 and "成本" in level2 else "EQ"


def grade_for(total):
    for g, lo in GRADES:
        if total >= lo:
            return g
    return GRADES[-1][0]


# --- scoring ----------------------------------------------------------------
#
# Scoring computes numbers only; the zh-CN trace ("why this score") is built
# by trace() when a message or the verbose output needs it.

def score_indicator(ind):
    """A dict: kind, outcome, completion (fraction), score, lo, hi, tier,
    problem, inferred, alt (score under the ≥ reading), over, t, a, cmp,
    rule (what produced the score, for trace())."""
    name = ind.get("name")
    w = to_dec(ind.get("weight"))
    stated = to_dec(ind.get("score_stated"))
    t = parse_value(ind.get("target"), name)
    a = parse_value(ind.get("actual"), name)
    res = {"kind": "none", "outcome": "unknown", "completion": None,
           "score": stated, "lo": None, "hi": None, "tier": 0, "w": w,
           "problem": None, "inferred": False, "alt": None, "over": False,
           "t": t, "a": a, "tb": None, "ab": None, "cmp": None, "rule": None,
           "why": None}
    if t[0] == "empty":
        res["problem"] = "no_target"
        return res
    if t[0] == "unparsed":
        res["problem"] = "unparsed_target"
        return res
    if a[0] == "empty":
        res["problem"] = "no_actual"
        return res
    if a[0] == "unparsed":
        res["problem"] = "unparsed_actual"
        return res
    if t[0] == "number" and a[0] == "number":
        cmp = t[1]
        if cmp is None:
            cmp = bare_cmp(ind.get("level2"))
            res["inferred"] = True
        score_quant(w, t, a, cmp, res)
        if res["inferred"] and res["kind"] == "quantitative" and \
                cmp not in ("GE", "EQ"):
            alt = dict(res)
            score_quant(w, t, a, "GE", alt)
            if alt["kind"] == "quantitative" and alt["score"] != res["score"]:
                res["alt"] = alt["score"]
        return res
    if t[0] == "word" and a[0] == "word":
        if t[5] == a[5]:
            return score_qual(w, stated, 1, ("same",), res)
        ta = WORD_TIER.get(a[5], 0)
        tt = WORD_TIER.get(t[5], 0)
        if ta == 0:
            res["problem"] = "unknown_word"
            return res
        tier = 1 if tt and ta <= tt else ta
        return score_qual(w, stated, tier, ("word", a[5], ta), res)
    if t[0] == "word":
        if a[3] is not None and UNITS[a[3]][0] != "ratio":
            res["problem"] = "unit_mismatch"
            return res
        if a[3] is None:
            frac = a[2] if a[2] <= 1 else a[2] / D100
        else:
            frac = a[2] * UNITS[a[3]][1]
        tier = 1 if frac >= Decimal("0.8") else 2 if frac >= Decimal("0.6") \
            else 3
        return score_qual(w, stated, tier, ("number", frac, tier), res)
    tier = WORD_TIER.get(a[5], 0)
    if tier == 0:
        res["problem"] = "unknown_word"
        return res
    return score_qual(w, stated, tier, ("word_for_number", tier), res)


def score_qual(w, stated, tier, why, res):
    outcome, lo, lo_in, hi, hi_in, sug = TIERS[tier]
    res["kind"] = "qualitative"
    res["tier"] = tier
    res["outcome"] = outcome
    res["why"] = why
    if w is None:
        res["problem"] = "no_weight"
        return res
    if outcome == "met":
        res["completion"] = D1
    slo, shi, ssug = rnd(w * lo), rnd(w * hi), rnd(w * sug)
    res["lo"], res["hi"] = slo, shi
    res["suggest"] = ssug
    res["score"] = ssug
    if stated is not None:
        if (stated >= slo if lo_in else stated > slo) and \
                (stated <= shi if hi_in else stated < shi):
            res["score"] = stated
    return res


def score_quant(w, t, a, cmp, res):
    res["kind"] = "quantitative"
    res["cmp"] = cmp
    res["over"] = False
    res["completion"] = None
    al = align(t, a)
    if al is None:
        res["kind"] = "none"
        res["problem"] = "unit_mismatch"
        return res
    tb, ab = rnd(al[0], Q6), rnd(al[1], Q6)
    if ab < 0:
        ab = D0
    res["tb"], res["ab"] = tb, ab
    if tb > 0:
        res["completion"] = rnd(ab / tb, Q4)
    if w is None:
        res["kind"] = "none"
        res["problem"] = "no_weight"
        return res
    if cmp in ("GE", "GT", "EQ"):
        if tb <= 0:
            met = ab <= 0 if cmp == "EQ" else (ab > 0 if cmp == "GT" else True)
            s = w if met else D0
            res["outcome"] = "met" if met else "not_met"
            res["rule"] = "zero_met" if met else "zero_missed"
        elif (ab > tb) if cmp == "GT" else (ab >= tb):
            s = w
            res["outcome"] = "met"
            res["over"] = ab >= tb * OVER_RATIO
            res["rule"] = "met"
        else:
            s = min(max(rnd(w * ab / tb), D0), w)
            res["outcome"] = "partial" if ab > 0 else "not_met"
            res["rule"] = "proportional"
    else:
        if (ab < tb) if cmp == "LT" else (ab <= tb):
            s = w
            res["outcome"] = "met"
            res["rule"] = "le_met"
        elif tb <= 0:
            s = D0
            res["outcome"] = "not_met"
            res["rule"] = "le_zero"
        elif ab >= 2 * tb:
            s = D0
            res["outcome"] = "not_met"
            res["rule"] = "le_double"
        else:
            s = min(max(rnd(w * (2 * tb - ab) / tb), D0), w)
            res["outcome"] = "partial" if s > 0 else "not_met"
            res["rule"] = "le_linear"
    res["score"] = rnd(s)
    res["lo"] = res["hi"] = res["score"]
    return res


DIRECTION = {"GE": "正向", "GT": "正向", "EQ": "等于型", "LE": "反向",
             "LT": "反向"}


def trace(ind, r):
    """Why this score, in zh-CN."""
    p = r["problem"]
    if p == "no_target":
        return "未填写年度指标值，无法计分"
    if p == "unparsed_target":
        return "年度指标值“%s”无法识别" % ind.get("target")
    if p == "no_actual":
        return "未填写实际完成值，无法计分"
    if p == "unparsed_actual":
        return "实际完成值“%s”无法识别" % ind.get("actual")
    if p == "unknown_word":
        return "实际完成值“%s”不在定性词表中，无法判断达成程度" % ind.get("actual")
    if p == "unit_mismatch":
        return "年度指标值“%s”与实际完成值“%s”的计量单位不同，无法比较" % (
            ind.get("target"), ind.get("actual"))
    if r["kind"] == "qualitative":
        why = r["why"]
        if why[0] == "same":
            text = "实际完成值与年度指标值一致"
        elif why[0] == "word":
            text = "实际完成值“%s”属第%d档" % (why[1], why[2])
        elif why[0] == "number":
            text = "定性目标以数值%s%%填报，属第%d档" % (fmt(why[1] * 100), why[2])
        else:
            text = "定量目标以文字“%s”填报（第%d档），按定性评分" % (
                ind.get("actual"), why[1])
        if p == "no_weight":
            return text + "；未填写分值，无法计分"
        _, _, lo_in, _, hi_in, _ = TIERS[r["tier"]]
        return "定性指标：%s，得分区间%s%s, %s%s（建议%s分）" % (
            text, "[" if lo_in else "(", fmt(r["lo"]), fmt(r["hi"]),
            "]" if hi_in else ")", fmt(r["suggest"]))
    cmp = r["cmp"]
    head = "%s指标（%s%s）" % (
        DIRECTION[cmp], "目标未写比较符号，推定为" if r["inferred"] else "",
        CMP_SYMBOL[cmp])
    if p == "no_weight":
        return head + "：未填写分值，无法计分"
    tt, at, w, s = value_text(r["t"]), value_text(r["a"]), fmt(r["w"]), \
        fmt2(r["score"])
    rule = r["rule"]
    if rule in ("zero_met", "zero_missed"):
        body = "目标为%s，实际%s，%s，得%s分" % (
            tt, at, "达成" if rule == "zero_met" else "未达成", s)
    elif rule == "met":
        body = "实际%s达到目标%s，得满分%s分%s" % (
            at, tt, w, "；超出目标较多，应说明原因" if r["over"] else "")
    elif rule == "proportional":
        body = "实际%s未达到目标%s，按比例计分 %s×%s÷%s = %s" % (
            at, tt, w, at, tt, s)
    elif rule == "le_met":
        body = "实际%s未超过目标%s，得满分%s分" % (at, tt, w)
    elif rule == "le_zero":
        body = "目标为%s，实际%s超出，得0分" % (tt, at)
    elif rule == "le_double":
        body = "实际%s达到目标%s的2倍及以上，得0分" % (at, tt)
    else:
        body = "实际%s超过目标%s，按超出比例扣分 %s×(1−(实际−目标)/目标) = %s" % (
            at, tt, w, s)
    return head + "：" + body


# --- the audit ----------------------------------------------------------------

class Audit:
    """Findings of one self-evaluation. Confirmations (severity ok) are
    kept only when `confirm` is set (--verbose), as jixiao does."""

    def __init__(self, confirm):
        self.items = []
        self.confirmed = []
        self.confirm = confirm
        self.errors = 0
        self.warnings = 0

    def add(self, code, sev, where, stated, computed, msg, idx=None):
        item = {"code": code, "severity": sev, "where": where,
                "stated": stated, "computed": computed, "message": msg,
                "indicator": idx}
        if sev == "ok":
            self.confirmed.append(item)
            return
        self.items.append(item)
        if sev == "error":
            self.errors += 1
        else:
            self.warnings += 1


ROW_FIELDS = ("initial", "annual", "received", "executed")


def fund_row(v):
    """A funds row: an object, [initial, annual, executed] or null."""
    if v is None:
        return {}
    if isinstance(v, list):
        return {"initial": to_dec(v[0]) if len(v) > 0 else None,
                "annual": to_dec(v[1]) if len(v) > 1 else None,
                "executed": to_dec(v[2]) if len(v) > 2 else None}
    return {k: to_dec(x) for k, x in v.items()}


def exec_trace(fx):
    return "预算执行率 = 执行数%s ÷ 全年预算数%s = %s%%，得分 = 分值%s × 执行率 = %s" % (
        fmt(fx["executed"]), fmt(fx["annual"]), fmt2(fx["exec_rate"] * 100),
        fmt(fx["exec_weight"]), fmt2(fx["exec_score"]))


def check_funds(rec, au):
    f = rec.get("funds")
    out = {"exec_rate": None, "exec_score": None, "exec_weight": EXEC_WEIGHT,
           "trace": None}
    if not f:
        return out
    period = f.get("period")
    if period and rec.get("kind") in (None, "self"):
        au.add("FUNDS_MISMATCH", "warning", "项目资金/执行数", period, "全年",
               "自评表的执行数是%s的数据，不是全年执行数；预算执行率和得分应按全年执行数计算"
               % period)
    w = to_dec(f.get("exec_weight"))
    w = EXEC_WEIGHT if w is None else w
    out["exec_weight"] = w
    annual = to_dec(f.get("annual_budget"))
    executed = to_dec(f.get("executed"))
    received = to_dec(f.get("received"))
    stated = f.get("exec_rate_stated")
    if annual is not None and executed is not None and annual > 0:
        rate = rnd(executed / annual, Q4)
        score = min(max(rnd(w * executed / annual), D0), w)
        out.update(exec_rate=rate, exec_score=score, executed=executed,
                   annual=annual)
        out["trace"] = exec_trace(out)
        if stated not in (None, ""):
            rp = rate_percent(stated)
            calc = fmt2(rate * 100) + "%"
            if rp is None:
                au.add("UNPARSED_VALUE", "warning", "预算执行率", str(stated),
                       None, "预算执行率“%s”不是数值，无法核对" % stated)
            elif abs(rp[0] - rate * 100) <= max(rp[1], TOL_RATE):
                if au.confirm:
                    au.add("EXEC_RATE_MISMATCH", "ok", "预算执行率",
                           str(stated), calc, "预算执行率核对无误：" + out["trace"])
            else:
                au.add("EXEC_RATE_MISMATCH", "error", "预算执行率",
                       str(stated), calc, "预算执行率填报为%s，按资金数据应为%s（%s）"
                       % (stated, calc, out["trace"]))
    es = to_dec(f.get("exec_score_stated"))
    if es is not None:
        if es > w:
            au.add("SCORE_OVER_WEIGHT", "error", "预算执行率", fmt(es), fmt(w),
                   "预算执行率得分%s超过其分值%s" % (fmt(es), fmt(w)))
        if out["exec_score"] is not None:
            if abs(es - out["exec_score"]) <= TOL_SCORE:
                if au.confirm:
                    au.add("EXEC_SCORE_MISMATCH", "ok", "预算执行率", fmt(es),
                           fmt2(out["exec_score"]), "预算执行率得分核对无误")
            else:
                au.add("EXEC_SCORE_MISMATCH", "error", "预算执行率", fmt(es),
                       fmt2(out["exec_score"]),
                       "预算执行率得分填报为%s，按规则应为%s（%s）"
                       % (fmt(es), fmt2(out["exec_score"]), out["trace"]))
    elif out["exec_score"] is not None:
        au.add("MISSING_VALUE", "error", "预算执行率", None,
               fmt2(out["exec_score"]),
               "未填写预算执行率得分（按规则应为%s分）" % fmt2(out["exec_score"]))
    if w != EXEC_WEIGHT:
        au.add("LEVEL1_WEIGHT", "warning", "预算执行率", fmt(w),
               fmt(EXEC_WEIGHT), "预算执行率分值为%s，规则方案规定为%s"
               % (fmt(w), fmt(EXEC_WEIGHT)))

    # Row identities; the total row's execution rate is the line's, checked
    # above when the form states it.
    rp = rate_percent(stated) if out["exec_rate"] is None else None
    total = {"initial": to_dec(f.get("initial_budget")), "annual": annual,
             "received": received, "executed": executed,
             "balance_stated": to_dec(f.get("balance_stated")),
             "received_rate_stated": to_dec(f.get("received_rate_stated")),
             "exec_rate_stated": None if rp is None else rp[0]}
    check_row(total, "项目资金/年度资金总额", au)
    sources = f.get("sources") or {}
    rows = []
    for name, v in sources.items():
        row = fund_row(v)
        rows.append(row)
        check_row(row, "项目资金/" + name, au)
    for k, label in zip(ROW_FIELDS, ("年初预算数", "全年预算数", "实际到位资金",
                                     "执行数")):
        whole = total.get(k)
        parts = [r.get(k) for r in rows if r.get(k) is not None]
        if whole is None or not parts:
            continue
        s = sum(parts, D0)
        where = "项目资金/资金来源/" + label
        if abs(s - whole) <= TOL_MONEY:
            if au.confirm:
                au.add("FUNDS_MISMATCH", "ok", where, fmt(whole), fmt(s),
                       "%s各分项之和与合计一致" % label)
        else:
            au.add("FUNDS_MISMATCH", "error", where, fmt(whole), fmt(s),
                   "%s合计为%s，各分项之和为%s，两者不符" % (label, fmt(whole),
                                                 fmt(s)))
    if executed is not None and received is not None and executed > received:
        au.add("FUNDS_MISMATCH", "warning", "项目资金/年度资金总额",
               fmt(executed), fmt(received),
               "执行数%s大于实际到位资金%s" % (fmt(executed), fmt(received)))
    if received is not None and annual is not None and received > annual:
        au.add("FUNDS_MISMATCH", "warning", "项目资金/年度资金总额",
               fmt(received), fmt(annual),
               "实际到位资金%s大于全年预算数%s" % (fmt(received), fmt(annual)))
    if out["exec_rate"] is not None and out["exec_rate"] < EXEC_REASON_BELOW:
        au.add("LARGE_DEVIATION", "warning", "预算执行率", None,
               fmt2(out["exec_rate"] * 100),
               "预算执行率%s%%低于90%%，应在自评中说明原因"
               % fmt2(out["exec_rate"] * 100))
    return out


def check_row(row, where, au):
    bal, rec, exe, ann = (row.get("balance_stated"), row.get("received"),
                          row.get("executed"), row.get("annual"))
    if bal is not None and rec is not None and exe is not None:
        v = rec - exe
        if abs(bal - v) <= TOL_MONEY:
            if au.confirm:
                au.add("FUNDS_MISMATCH", "ok", where + "/资金结余", fmt(bal),
                       fmt(v), "资金结余 = 实际到位 − 执行数，核对无误")
        else:
            au.add("FUNDS_MISMATCH", "error", where + "/资金结余", fmt(bal),
                   fmt(v), "资金结余填报为%s，按实际到位资金减执行数应为%s"
                   % (fmt(bal), fmt(v)))
    if ann is not None and ann > 0:
        for key, num, label in (("received_rate_stated", rec, "预算到位率"),
                                ("exec_rate_stated", exe, "预算执行率")):
            st = row.get(key)
            if st is None or num is None:
                continue
            v = rnd(num * 100 / ann, Q4)
            if abs(st - v) <= max(half_unit(st), TOL_RATE):
                if au.confirm:
                    au.add("FUNDS_MISMATCH", "ok", where + "/" + label,
                           fmt(st) + "%", fmt2(v) + "%", label + "核对无误")
            else:
                au.add("FUNDS_MISMATCH", "error", where + "/" + label,
                       fmt(st) + "%", fmt2(v) + "%",
                       "%s填报为%s%%，按全年预算数应为%s%%" % (label, fmt(st),
                                                       fmt2(v)))


def where_of(i, ind):
    return "/".join(x for x in (ind.get("level1"), ind.get("level2"),
                                ind.get("name")) if x) or "第%d项指标" % (i + 1)


def check_indicator(i, ind, r, au):
    where = where_of(i, ind)
    w = r["w"]
    st = to_dec(ind.get("score_stated"))
    # a warning only when the stated score is what the other plausible
    # reading of a bare target (≥) gives
    judged = "warning" if (r["alt"] is not None and st is not None and
                           abs(st - r["alt"]) <= TOL_SCORE) else "error"
    if w is None:
        au.add("MISSING_VALUE", "error", where, None, None, "未填写分值（权重）", i)
    if r["problem"] == "no_target":
        au.add("MISSING_VALUE", "error", where, None, None, "未填写年度指标值", i)
    if r["problem"] == "no_actual":
        au.add("MISSING_VALUE", "error", where, None, None, "未填写实际完成值", i)
    if st is None and w is not None:
        au.add("MISSING_VALUE", "error", where, None,
               fmt2(r["score"]) if r["kind"] != "none" else None, "未填写得分", i)
    if r["problem"] == "unparsed_target":
        au.add("UNPARSED_VALUE", "warning", where, ind.get("target"), None,
               trace(ind, r), i)
    if r["problem"] in ("unparsed_actual", "unknown_word"):
        au.add("UNPARSED_VALUE", "warning", where, ind.get("actual"), None,
               trace(ind, r), i)
    if r["problem"] == "unit_mismatch":
        au.add("UNIT_MISMATCH", "error", where, ind.get("actual"),
               ind.get("target"), trace(ind, r), i)
    if st is not None and w is not None and st > w:
        au.add("SCORE_OVER_WEIGHT", "error", where, fmt(st), fmt(w),
               "得分%s超过分值%s（不设加分项）" % (fmt(st), fmt(w)), i)
    if st is not None and w is not None and r["kind"] == "quantitative":
        sc = r["score"]
        if abs(st - sc) <= TOL_SCORE:
            why = "得分核对无误" if au.confirm else None
        elif judged == "warning":
            why = "填报得分按正向比例计分，而规则方案将未写比较符号的目标作另一种推定"
        elif st >= w and sc < w:
            why = "目标未达成却得满分"
        elif r["outcome"] == "met" and st < sc:
            why = "目标已达成却被扣分"
        else:
            why = "得分与规则不符"
        if why is not None:
            au.add("SCORE_MISMATCH", "ok" if abs(st - sc) <= TOL_SCORE
                   else judged, where, fmt(st), fmt2(sc),
                   why + "：" + trace(ind, r), i)
    elif st is not None and w is not None and r["kind"] == "qualitative" \
            and r["problem"] is None:
        ok = r["score"] == st
        if not ok or au.confirm:
            _, _, lo_in, _, hi_in, _ = TIERS[r["tier"]]
            rng = "%s%s, %s%s" % ("[" if lo_in else "(", fmt(r["lo"]),
                                  fmt(r["hi"]), "]" if hi_in else ")")
            au.add("SCORE_MISMATCH", "ok" if ok else "error", where, fmt(st),
                   rng, "%s：%s" % (
                       "得分在所属档次区间内" if ok else
                       "目标已达成，得分应在所属档次区间内" if r["outcome"] == "met"
                       else "定性指标得分超出所属档次区间", trace(ind, r)), i)
    cs = ind.get("completion_stated")
    if r["kind"] == "quantitative" and r["completion"] is not None and cs:
        rp = rate_percent(cs)
        if rp is not None:
            calc = r["completion"] * 100
            tol = max(rp[1], TOL_RATE)
            ok = abs(rp[0] - calc) <= tol or (
                r["outcome"] == "met" and abs(rp[0] - D100) <= tol)
            if not ok:
                au.add("COMPLETION_MISMATCH", "error", where, cs,
                       fmt2(calc) + "%", "完成率填报为%s，按实际完成值÷年度指标值应为%s%%"
                       % (cs, fmt2(calc)), i)
            elif au.confirm:
                au.add("COMPLETION_MISMATCH", "ok", where, cs,
                       fmt2(calc) + "%", "完成率核对无误", i)
    lost_stated = lost_computed = False
    if w is not None:  # within the tolerance a score counts as full
        lost_stated = st is not None and st < w - TOL_SCORE
        lost_computed = r["kind"] != "none" and r["score"] < w - TOL_SCORE
    if (lost_stated or lost_computed or r["over"]) and \
            (ind.get("deviation_reason") or "").strip() in BLANK_REASON:
        au.add("MISSING_DEVIATION_REASON",
               "error" if lost_stated or (lost_computed and judged == "error")
               else "warning", where, ind.get("deviation_reason"), None,
               ("该指标未得满分" if lost_stated or lost_computed
                else "实际完成值大幅超出目标") + "，但未填写偏差原因分析及改进措施", i)
    if r["kind"] == "quantitative" and r["tb"] is not None and r["tb"] > 0:
        if r["cmp"] in ("GE", "GT", "EQ") and r["ab"] >= r["tb"] * LARGE_OVER:
            tt, at = value_text(r["t"]), value_text(r["a"])
            au.add("LARGE_DEVIATION", "warning", where, at, tt,
                   "实际完成值%s远超年度指标值%s，目标可能设定偏低" % (at, tt), i)
        if r["cmp"] in ("LE", "LT") and r["ab"] <= r["tb"] * LARGE_UNDER:
            tt, at = value_text(r["t"]), value_text(r["a"])
            au.add("LARGE_DEVIATION", "warning", where, at, tt,
                   "实际完成值%s远低于年度指标值%s（仅%s%%），目标可能未随预算调整"
                   % (at, tt, fmt2(r["completion"] * 100)), i)


def check_cost_sum(rec, inds, results, au):
    """Money targets of cost indicators adding up to more than the annual
    budget: the targets were not adjusted with the budget."""
    f = rec.get("funds")
    annual = to_dec(f.get("annual_budget")) if f else None
    unit = (f or {}).get("unit") or "万元"
    if annual is None or UNITS.get(unit, ("",))[0] != "money":
        return
    total = D0
    n = 0
    for ind, r in zip(inds, results):
        if "成本" not in (ind.get("level2") or "") and \
                "成本" not in (ind.get("level1") or ""):
            continue
        t = r["t"]
        if t[0] != "number" or t[3] is None or UNITS[t[3]][0] != "money":
            continue
        total += t[2] * UNITS[t[3]][1]
        n += 1
    factor = UNITS[unit][1]
    if n and total > annual * factor:
        su = fmt(total / factor)
        au.add("LARGE_DEVIATION", "warning", "产出指标/成本指标", su, fmt(annual),
               "成本指标的目标金额合计%s%s，超过全年预算数%s%s：预算调整后绩效目标可能未相应调整"
               % (su, unit, fmt(annual), unit))


def check(rec, source, verbose):
    au = Audit(verbose)
    inds = rec.get("indicators") or []
    fx = check_funds(rec, au)
    results = [score_indicator(ind) for ind in inds]
    for i, (ind, r) in enumerate(zip(inds, results)):
        check_indicator(i, ind, r, au)
    check_cost_sum(rec, inds, results, au)

    # weights
    wsum = fx["exec_weight"] if rec.get("funds") else D0
    by_l1 = {}
    for r, ind in zip(results, inds):
        w = r["w"]
        if w is None:
            continue
        wsum += w
        l1 = level1_of(ind.get("level1"))
        if l1 is not None:
            by_l1[l1] = by_l1.get(l1, D0) + w
    if wsum != TOTAL_WEIGHT:
        au.add("WEIGHT_SUM", "error", "分值合计", fmt(TOTAL_WEIGHT), fmt(wsum),
               "预算执行率与各三级指标的分值合计为%s，应为%s"
               % (fmt(wsum), fmt(TOTAL_WEIGHT)))
    elif au.confirm:
        au.add("WEIGHT_SUM", "ok", "分值合计", fmt(wsum), fmt(wsum),
               "分值合计为%s，核对无误" % fmt(wsum))
    tws = to_dec(rec.get("total_weight_stated"))
    if tws is not None and tws != wsum:
        au.add("WEIGHT_SUM", "error", "总分/分值", fmt(tws), fmt(wsum),
               "总分行的分值填报为%s，各行分值合计为%s" % (fmt(tws), fmt(wsum)))
    have_sat = "满意度指标" in by_l1
    for l1, expect in LEVEL1.items():
        if l1 == "满意度指标" and not have_sat:
            continue
        if l1 == "效益指标" and not have_sat:
            expect += LEVEL1["满意度指标"]
        if l1 in by_l1 and by_l1[l1] != expect:
            au.add("LEVEL1_WEIGHT", "warning", l1, fmt(by_l1[l1]), fmt(expect),
                   "%s的分值合计为%s，规则方案规定为%s"
                   % (l1, fmt(by_l1[l1]), fmt(expect)))

    # total and grade
    complete = True
    total = D0
    if fx["exec_score"] is not None:
        total = fx["exec_score"]
    elif rec.get("funds"):
        complete = False
    for r in results:
        if r["kind"] == "none" or r["problem"] is not None:
            complete = False
        if r["score"] is not None:
            total += r["score"]
    total = rnd(total)
    grade = grade_for(total)
    line_error = any(it["severity"] == "error" and it["code"] in (
        "SCORE_MISMATCH", "EXEC_SCORE_MISMATCH", "SCORE_OVER_WEIGHT")
        for it in au.items)
    sev = "error" if line_error else "warning"
    ts = to_dec(rec.get("total_score_stated"))
    if ts is None:
        if inds:
            au.add("MISSING_VALUE", "error", "总分", None, fmt2(total),
                   "未填写总分（按规则计算为%s）" % fmt2(total))
    else:
        parts = [to_dec(ind.get("score_stated")) for ind in inds]
        es = to_dec((rec.get("funds") or {}).get("exec_score_stated"))
        sum_ok = True
        if all(p is not None for p in parts) and (
                es is not None or not rec.get("funds")):
            ssum = sum(parts, es or D0)
            sum_ok = abs(ssum - ts) <= TOL_SCORE
            if not sum_ok:
                au.add("TOTAL_MISMATCH", "error", "总分", fmt(ts), fmt(ssum),
                       "总分填报为%s，但各项填报得分之和为%s（按规则计算为%s）"
                       % (fmt(ts), fmt(ssum),
                          fmt2(total) if complete else "不完整"))
            elif au.confirm:
                au.add("TOTAL_MISMATCH", "ok", "总分", fmt(ts), fmt(ssum),
                       "总分%s等于各项得分之和" % fmt(ts))
        # against the computed total only when the stated one is its own
        # lines' sum: else the error above says it
        if sum_ok and complete and abs(total - ts) > TOL_SCORE:
            au.add("TOTAL_MISMATCH", sev, "总分", fmt(ts), fmt2(total),
                   "按规则方案计算的总分为%s，与填报的%s不同（差异来自上列各行）"
                   % (fmt2(total), fmt(ts)))
        if ts > TOTAL_WEIGHT:
            au.add("SCORE_OVER_WEIGHT", "error", "总分", fmt(ts),
                   fmt(TOTAL_WEIGHT), "总分%s超过满分%s" % (fmt(ts),
                                                     fmt(TOTAL_WEIGHT)))
    gs = rec.get("grade_stated")
    if gs:
        g = GRADE_ALIAS.get(gs.strip())
        if g is None:
            au.add("UNPARSED_VALUE", "warning", "评价等级", gs, None,
                   "评价等级“%s”不在规则方案的等级中" % gs)
        else:
            gt = None
            if ts is not None:
                gt = grade_for(ts)
                if gt != g:
                    au.add("GRADE_MISMATCH", "error", "评价等级", gs, gt,
                           "填报总分%s对应的等级为“%s”，填报为“%s”"
                           % (fmt(ts), gt, gs))
                elif au.confirm:
                    au.add("GRADE_MISMATCH", "ok", "评价等级", gs, gt,
                           "等级“%s”与填报总分%s相符" % (gs, fmt(ts)))
            # against the computed total only when the stated grade fits
            # the stated total
            if complete and grade != g and (gt is None or gt == g):
                au.add("GRADE_MISMATCH", sev, "评价等级", gs, grade,
                       "按规则计算的总分%s对应的等级为“%s”，填报为“%s”"
                       % (fmt2(total), grade, gs))

    out = {
        "source": source, "id": rec.get("id"), "title": rec.get("title"),
        "unit": rec.get("unit"), "department": rec.get("department"),
        "year": rec.get("year"), "rules": "mof-2020",
        "computed": {
            "exec_rate": None if fx["exec_rate"] is None
            else fmt2(fx["exec_rate"] * 100) + "%",
            "exec_score": None if fx["exec_score"] is None
            else num(fx["exec_score"]),
            "exec_trace": fx["trace"],
            "weight_sum": num(wsum), "total": num(total),
            "grade": grade, "complete": complete,
            "total_trace": "总分 = 预算执行率得分 + 各三级指标得分 = %s（满分%s），等级：%s"
            % (fmt2(total), fmt(wsum), grade)},
        "stated": {"total": None if ts is None else num(ts), "grade": gs},
        "findings": au.items}
    if au.confirmed:
        out["confirmed"] = au.confirmed
    if verbose:
        out["indicators"] = [{
            "where": where_of(i, ind), "kind": r["kind"],
            "target": value_text(r["t"]) or ind.get("target"),
            "actual": value_text(r["a"]) or ind.get("actual"),
            "outcome": r["outcome"],
            "completion": None if r["completion"] is None
            else fmt2(r["completion"] * 100) + "%",
            "score": None if r["kind"] == "none" or r["score"] is None
            else num(r["score"]),
            "direction_inferred": r["inferred"],
            **({"alt_score": num(r["alt"])} if r["alt"] is not None else {}),
            "trace": trace(ind, r)} for i, (ind, r) in
            enumerate(zip(inds, results))]
    out["errors"] = au.errors
    out["warnings"] = au.warnings
    out["confirmations"] = len(au.confirmed)
    out["findings_dropped"] = 0
    return out


def main():
    args = sys.argv[1:]
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    if len(args) != 1:
        print("usage: reference_check.py [--verbose] FILE.jsonl",
              file=sys.stderr)
        return 2
    path = args[0]
    load_vocabulary(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "..", "rules", "mof-2020.json"))
    status = 0
    out = sys.stdout
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            source = "%s:%d" % (path, lineno)
            try:
                rec = json.loads(line, parse_float=Decimal)
            except ValueError as e:
                out.write(json.dumps({"source": source, "bad_input": str(e)},
                                     ensure_ascii=False) + "\n")
                status = 2
                continue
            res = check(rec, source, verbose)
            if res["errors"] and status == 0:
                status = 1
            out.write(json.dumps(res, ensure_ascii=False,
                                 separators=(",", ":")) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
