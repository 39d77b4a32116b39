"""Answers to the chat's questions, from the tools: about the data (count_samples, language_counts,
text_lengths, inspect_dataset), about the last run (explain_sample, explain_removed, its per-op counts)
and about operators (get_operator_info). English or Chinese framing, as the user asked; the data as is.
Each answer is a few Events (no rendering here)."""
from __future__ import annotations

import json
from typing import Any, Callable

from agent.events import Event
from agent.turns import Turn

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


def answer_data(turn: Turn, tools: Tools, data: str, emit: Emit) -> None:
    """A question about the data set: its size, languages, text lengths (with a histogram), fields."""
    lang = turn.lang
    topic = turn.topic or "overview"
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
    if topic in ("fields", "overview"):
        res = tools("inspect_dataset", path=data, n_samples=0)
        emit(Event(kind="table", text=t(lang, "Fields: ", "字段：") + ", ".join(f["name"] for f in res["fields"]),
                   payload={"title": t(lang, "fields", "字段"),
                            "columns": [t(lang, "field", "字段"), t(lang, "types", "类型"),
                                        t(lang, "present in", "出现次数")],
                            "rows": [[f["name"], "/".join(f["types"]), f["present"]] for f in res["fields"]]}))


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
