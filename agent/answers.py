"""Answers to the chat's questions, from the tools: about the data (count_samples, language_counts,
text_lengths, profile_dataset, inspect_dataset), about the last run (explain_sample, explain_removed, its
per-op counts) and about operators (get_operator_info). English or Chinese framing, as the user asked; the
data as is.
Each answer is a few Events (no rendering here)."""
from __future__ import annotations

import json
from typing import Any, Callable

from agent.events import Event
from agent.turns import Turn, quality_issues

Emit = Callable[[Event], None]
Tools = Callable[..., dict[str, Any]]  # agent.refine_loop.Tools: call a registered tool by name


def t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def short(text: Any, n: int = 160) -> str:
    s = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def default_text(value: Any) -> str:
    return "(computed)" if value == "PydanticUndefined" else short(value, 40)


# the data profile's shares (tools.data_profile.Shares): (table label, sentence), English and Chinese
QUALITY = {
    "exact_duplicate": (("exact duplicates", "Exact duplicates (repeating an earlier sample's text)"),
                        ("完全重复", "与前面的样本完全重复")),
    "near_empty": (("near-empty texts", "Near-empty texts (under 10 non-blank characters)"),
                   ("近乎为空", "近乎为空（不到 10 个非空白字符）")),
    "very_long": (("very long texts", "Very long texts (over 10x the median length and over 2,000 characters)"),
                  ("超长文本", "超长（超过中位长度的 10 倍且超过 2,000 字符）")),
    "html": (("HTML tags", "Samples with HTML tags"), ("HTML 标签", "含 HTML 标签")),
    "email": (("e-mail addresses", "Samples with e-mail addresses"), ("邮箱地址", "含邮箱地址")),
    "link": (("links (URLs)", "Samples with links (URLs)"), ("链接（网址）", "含链接（网址）")),
    "ip": (("IP addresses", "Samples with IP addresses"), ("IP 地址", "含 IP 地址")),
    "garbled": (("garbled text", "Garbled texts (mojibake, U+FFFD or control characters)"),
                ("乱码", "疑似乱码（错误编码、U+FFFD 或控制字符）")),
    "special_chars": (("mostly special characters", "Texts over 40% special characters"),
                      ("特殊字符过多", "特殊字符超过 40%")),
    "latex": (("LaTeX", "Samples with LaTeX"), ("LaTeX", "含 LaTeX")),
    "copyright": (("copyright notices", "Samples mentioning a copyright"), ("版权声明", "含版权声明")),
    "duplicate_media": (("duplicate media", "Samples repeating an earlier sample's media files"),
                        ("重复的媒体文件", "媒体文件与前面的样本重复")),
}


def _quality_label(lang: str, issue: str, which: int = 0) -> str:
    en, zh = QUALITY.get(issue, ((issue.replace("_", " "), issue.replace("_", " ").capitalize()), (issue,) * 2))
    return t(lang, en[which], zh[which])


def _profiled(lang: str, res: dict[str, Any]) -> str:
    """Which samples a profile read: all of them, a uniform sample or the first ones (count estimated)."""
    n, total = res["sampled"], res["samples"]
    if res["sample_kind"] == "all":
        return t(lang, f"all {n:,} samples were checked", f"检查了全部 {n:,} 条样本")
    if res["sample_kind"] == "uniform":
        return t(lang, f"a uniform random sample of {n:,} of the {total:,} samples was checked",
                 f"随机均匀抽查了 {total:,} 条中的 {n:,} 条")
    about = t(lang, "", " ") if res["samples_exact"] else t(lang, "about ", "约 ")
    return t(lang, f"the first {n:,} of {about}{total:,} samples were checked",
             f"检查了前 {n:,} 条（共{about}{total:,} 条）")


def answer_quality(lang: str, res: dict[str, Any], asked: list[str], emit: Emit) -> None:
    """The data profile's issue shares: the issues the question names first (a sentence each), then the
    others found; a table of every share."""
    n = res["sampled"]
    counts, shares = res["counts"], res["shares"]
    order = [k for k in QUALITY if k in shares] + [k for k in shares if k not in QUALITY]
    asked = [k for k in asked if k in shares]
    if not n:
        emit(Event(kind="notice", text=t(lang, f"{res['path']} has no samples.", f"{res['path']} 里没有样本。"),
                   payload=res))
        return
    if not res.get("text_key"):
        emit(Event(kind="notice", text=t(lang, f"No text field found in {res['path']}: there is nothing to check "
                                               f"for duplicates, HTML, e-mails or links.",
                                         f"{res['path']} 里没有文本字段：无法检查重复、HTML、邮箱或链接。"),
                   payload=res))
        return
    lines = []
    for k in asked:
        of = res.get("with_media", n) if k == "duplicate_media" else n
        what = _quality_label(lang, k, 1)
        lines.append(t(lang, f"{what}: {counts[k]:,} of the {of:,} samples ({shares[k]:.1%}).",
                       f"{of:,} 条样本中有 {counts[k]:,} 条（{shares[k]:.1%}）{what}。"))
    found = [k for k in order if counts.get(k) and k not in asked]
    sep = t(lang, ", ", "，")
    listed = sep.join(t(lang, f"{_quality_label(lang, k)} {counts[k]:,} ({shares[k]:.1%})",
                        f"{_quality_label(lang, k)} {counts[k]:,} 条（{shares[k]:.1%}）") for k in found)
    if found:
        lines.append(t(lang, f"{'Also found' if asked else 'Found'}: {listed}.",
                       f"{'另外发现' if asked else '发现'}：{listed}。"))
    elif not asked:
        lines.append(t(lang, "No exact duplicates, near-empty or very long texts, HTML, e-mails, links or garbled "
                             "text found.", "没有发现完全重复、近乎为空或超长的文本，也没有 HTML、邮箱、链接或乱码。"))
    scope = _profiled(lang, res)
    lines.append(t(lang, f"({scope[0].upper()}{scope[1:]}.)", f"（{scope}。）"))
    emit(Event(kind="text", text=t(lang, " ", "").join(lines), payload=res))
    emit(Event(kind="table", payload={"title": t(lang, "data quality", "数据质量"),
                                      "columns": [t(lang, "issue", "问题"), t(lang, "samples", "样本数"),
                                                  t(lang, "share", "占比")],
                                      "rows": [[_quality_label(lang, k), counts[k], f"{shares[k]:.1%}"]
                                               for k in order]}))


def answer_data(turn: Turn, tools: Tools, data: str, emit: Emit) -> None:
    """A question about the data set: its size, languages, text lengths (with a histogram), fields, quality
    (duplicates, HTML, e-mails, links, near-empty texts ...)."""
    lang = turn.lang
    topic = turn.topic or "overview"
    if topic in ("count", "overview") and answer_count_matching(turn, tools, data, emit):
        return
    if topic in ("count", "overview"):
        n = tools("count_samples", path=data)["num_samples"]
        emit(Event(kind="text", text=t(lang, f"Your data has {n} samples ({data}).",
                                       f"数据共有 {n} 条样本（{data}）。"),
                   payload={"num_samples": n, "path": data}))
    if topic == "languages":
        res = tools("language_counts", path=data)
        total = sum(res["counts"].values()) or 1
        rows = [[lang_code, n, f"{n / total:.0%}"] for lang_code, n in res["counts"].items()]
        emit(Event(kind="text", text=t(lang, f"Languages (identified by language_id_score_filter on {res['sampled']} "
                                             f"of {res['total']} samples): ", f"语言分布（用 language_id_score_filter "
                                             f"识别了 {res['total']} 条中的 {res['sampled']} 条）：")
                   + ", ".join(f"{c} {n}" for c, n in res["counts"].items()), payload=res))
        emit(Event(kind="table", payload={"title": t(lang, "languages", "语言"),
                                          "columns": [t(lang, "language", "语言"), t(lang, "samples", "样本数"),
                                                      t(lang, "share", "占比")], "rows": rows}))
    if topic == "lengths":
        res = tools("text_lengths", path=data)
        emit(Event(kind="text", text=t(
            lang, f"Text lengths over {res['count']} samples (characters): min {res['min']}, median "
                  f"{res['median']:g}, mean {res['mean']:g}, max {res['max']}; 10% are under {res['p10']:g}, "
                  f"10% over {res['p90']:g}.",
            f"{res['count']} 条文本的长度（字符）：最短 {res['min']}，中位数 {res['median']:g}，平均 {res['mean']:g}，"
            f"最长 {res['max']}；10% 短于 {res['p10']:g}，10% 长于 {res['p90']:g}。"), payload=res))
        emit(Event(kind="histogram", payload={"title": t(lang, "text length (characters)", "文本长度（字符）"),
                                              "bins": res["histogram"], "unit": res["unit"]}))
    if topic == "quality":
        answer_quality(lang, tools("profile_dataset", path=data), quality_issues(turn.text), emit)
    if topic in ("fields", "overview"):
        res = tools("inspect_dataset", path=data, n_samples=0)
        emit(Event(kind="table", text=t(lang, "Fields: ", "字段：") + ", ".join(f["name"] for f in res["fields"]),
                   payload={"title": t(lang, "fields", "字段"),
                            "columns": [t(lang, "field", "字段"), t(lang, "types", "类型"),
                                        t(lang, "present in", "出现次数")],
                            "rows": [[f["name"], "/".join(f["types"]), f["present"]] for f in res["fields"]]}))


def answer_count_matching(turn: Turn, tools: Tools, data: str, emit: Emit) -> bool:
    """'how many samples have fewer than 10 characters?', '有多少条 meta.stars 等于 3？': the question's own
    condition, read by the planner as filter steps and run on the data. False when it states none."""
    from agent.planner import builtin_planner
    from agent.planner.clauses import verbs
    from agent.planner.quantities import normalize, read_quantities

    text = normalize(turn.text)
    if not any(q.cmp != "none" for q in read_quantities(text)) and " == " not in text:
        return False
    steps = [s for s in builtin_planner().plan(turn.text).recipe["process"]
             if next(iter(s)).endswith("_filter") and next(iter(s.values()))]
    if not steps:
        return False
    from tools.catalog import get_catalog

    for s in steps:  # 'fewer than 10 characters' says no lower bound: the default one (min_len 10) must not count
        (op, args), = s.items()
        entry = get_catalog().get(op)
        for a in (entry.args if entry else []):
            twin = "max_" + a.name[4:] if a.name.startswith("min_") else None
            if twin in args and a.name not in args and isinstance(a.default, (int, float)) and a.default > 0:
                args[a.name] = 0
    res = tools("count_matching", path=data, process=steps)
    removing = any(v == "remove" for _, v in verbs(text))  # 'how many would go if I drop texts under 10 characters?'
    n = res["counted"] - res["kept"] if removing else res["kept"]
    said = "; ".join(f"{op} " + ", ".join(f"{k}={v}" for k, v in args.items()) for s in steps for op, args in s.items())
    of = f"{res['counted']}" + ("" if res["counted"] == res["total"] else f" (the first of {res['total']})")
    emit(Event(kind="text", text=t(
        lang := turn.lang,
        f"{n} of the {of} samples {'would be removed' if removing else 'match'} ({said}: the samples "
        f"{'it drops' if removing else 'it keeps'}).",
        f"{of} 条样本中有 {n} 条{'会被删掉' if removing else '符合'}（{said}：它{'删掉' if removing else '保留'}的样本）。"),
        payload={**res, "matching": n}))
    return True


def answer_result(turn: Turn, tools: Tools, vals: dict[str, Any], emit: Emit) -> None:
    """A question about the last run: why a sample was dropped, what an op removed, how many."""
    lang = turn.lang
    runs = vals.get("runs") or []
    if not runs:
        emit(Event(kind="notice", text=t(lang, "Nothing has run yet in this session: /approve (or /run) runs the "
                                               "plan, then ask again.",
                                         "这个会话还没有运行过：先 /approve（或 /run）运行计划，再问一次。")))
        return
    last = runs[-1]
    topic = turn.topic or "run_summary"
    if topic == "why_dropped":
        res = tools("explain_sample", dataset_path=vals["data_path"], recipe=last.get("recipe") or vals["recipe"],
                    index=turn.sample, work_dir=last.get("run_dir"), output_path=last.get("output_path"))
        verdict = {True: t(lang, "was removed", "被删除了"), False: t(lang, "was kept", "被保留了"),
                   None: t(lang, "may have been removed", "可能被删除了")}[res["dropped"]]
        emit(Event(kind="text", text=t(lang, f"Sample {turn.sample} {verdict}: {res['reason']}.\n  text: ",
                                       f"第 {turn.sample} 条样本{verdict}：{res['reason']}。\n  文本：")
                   + short(res["sample"].get("text", res["sample"]), 300), payload=res))
        return
    if topic == "removed_samples":
        n = turn.n or 5
        res = tools("explain_removed", work_dir=last["run_dir"], op=turn.op, limit=min(n, 200))
        removed = res["removed"]
        who = turn.op or t(lang, "the recipe", "配方")
        if not removed:
            emit(Event(kind="notice", text=t(lang, f"The last run's trace has no samples removed by {who}.",
                                             f"上次运行的记录里没有被 {who} 删除的样本。")))
            return
        emit(Event(kind="text", text=t(lang, f"{len(removed)} sample(s) removed by {who} in the last run "
                                             f"(from its trace in {last['run_dir']}/trace):",
                                       f"上次运行中被 {who} 删除的 {len(removed)} 条样本（来自 {last['run_dir']}/trace）：")))
        rows = []
        for i, r in enumerate(removed, 1):
            s = r["sample"]
            if r["kind"] == "duplicate":
                text = (s.get("dup2") or {}).get("text", s.get("dup2"))
                why = t(lang, "duplicate of an earlier sample", "与前面的样本重复")
            else:
                text = s.get("text", s)
                why = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                for k, v in (s.get("__dj__stats__") or {}).items())
            rows.append([i, r["op"], short(text, 120), why])
        emit(Event(kind="table", payload={"title": t(lang, "removed samples", "被删除的样本"),
                                          "columns": ["#", t(lang, "op", "算子"), t(lang, "text", "文本"),
                                                      t(lang, "why", "原因")], "rows": rows}))
        return
    per_op = last.get("per_op") or []
    if topic == "removed_count" and turn.op:
        hit = next((p for p in per_op if p["op"] == turn.op), None)
        if hit is None:
            emit(Event(kind="notice", text=t(lang, f"{turn.op} is not in the recipe that ran "
                                                   f"({', '.join(p['op'] for p in per_op)}).",
                                             f"{turn.op} 不在运行的配方里（{', '.join(p['op'] for p in per_op)}）。")))
            return
        emit(Event(kind="text", text=t(lang, f"{turn.op} removed {hit['removed']} of the {hit['in']} samples it saw "
                                             f"(the run kept {last['num_out']} of {last['num_in']}).",
                                       f"{turn.op} 在它处理的 {hit['in']} 条中删除了 {hit['removed']} 条"
                                       f"（整次运行保留了 {last['num_in']} 条中的 {last['num_out']} 条）。"),
                   payload=hit))
        return
    emit(Event(kind="text", text=t(lang, f"The last run kept {last['num_out']} of {last['num_in']} samples "
                                         f"({last['kept_ratio']:.1%}); outputs in {last.get('run_dir')}.",
                                   f"上次运行保留了 {last['num_in']} 条中的 {last['num_out']} 条（{last['kept_ratio']:.1%}）；"
                                   f"输出在 {last.get('run_dir')}。")))
    emit(Event(kind="table", payload={"title": t(lang, "removed per step", "每一步删除的样本"),
                                      "columns": [t(lang, "op", "算子"), t(lang, "in", "输入"),
                                                  t(lang, "removed", "删除")],
                                      "rows": [[p["op"], p["in"], p["removed"]] for p in per_op]}))


def answer_operator(turn: Turn, emit: Emit) -> None:
    """A question about an operator: its catalog entry (description, example, stats, arguments)."""
    from tools.functions import get_operator_info
    from tools.schemas import OperatorInfoArgs

    lang = turn.lang
    if not turn.op:
        emit(Event(kind="notice", text=t(lang, "Which operator? Name it (e.g. text_length_filter) or describe it "
                                               "(\"the length filter\"); `juicebox ops list` lists them all.",
                                         "是哪个算子？请写出名字（如 text_length_filter）或描述它（“the length filter”）；"
                                         "`juicebox ops list` 列出全部算子。")))
        return
    info = get_operator_info(OperatorInfoArgs(name=turn.op)).model_dump(mode="json")
    emit(Event(kind="text", text=t(lang, f"{info['name']} ({info['category']}, {info['modality']}): "
                                         f"{info['description']}", f"{info['name']}（{info['category']}，"
                                         f"{info['modality']}）：{info['description']}")
               + (t(lang, f"\nExample: {info['example']}", f"\n示例：{info['example']}") if info["example"] else "")
               + (t(lang, f"\nStats it computes: {', '.join(info['stats_keys'])}",
                    f"\n计算的统计量：{', '.join(info['stats_keys'])}") if info["stats_keys"] else ""),
               payload=info))
    if info["args"]:
        emit(Event(kind="table", payload={"title": t(lang, f"{info['name']} arguments", f"{info['name']} 的参数"),
                                          "columns": [t(lang, "argument", "参数"), t(lang, "default", "默认值"),
                                                      t(lang, "description", "说明")],
                                          "rows": [[a["name"], default_text(a.get("default")),
                                                    short(a.get("description") or "", 100)]
                                                   for a in info["args"]]}))
