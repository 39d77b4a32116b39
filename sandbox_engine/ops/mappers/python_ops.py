"""Mappers that run the user's own Python: a lambda string, or a function in a .py file.

These execute user code by design (as Data-Juicer's do): a recipe is trusted like a script. The
function gets a sample dict (or, with `batched`, a dict of columns) and returns a dict whose keys
update the sample; a batched function may change the row count.
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import os
from typing import Any, Callable

from pydantic import Field

from sandbox_engine.batches import batch_to_rows, rows_to_batch
from sandbox_engine.errors import JuiceboxError, OpArgumentError
from sandbox_engine.ops.base import Batch, Mapper, OpArgs, batch_len, register_op


def _identity(sample: dict) -> dict:
    return sample


class _UserFunctionMapper(Mapper):
    """Applies `self._func` per sample or per batch and merges the returned dict."""

    modality = "any"
    _func: Callable[[Any], Any] = staticmethod(_identity)

    def _check(self, result: Any) -> dict:
        if not isinstance(result, dict):
            raise JuiceboxError(f"operator {self.name!r}: the function must return a dict, got "
                                f"{type(result).__name__}")
        return result

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        if self.args.batched:
            return self._merge_batch(batch, self._check(self._func({k: list(v) for k, v in batch.items()})))
        rows = [{**row, **self._check(self._func(dict(row)))} for row in batch_to_rows(batch)]
        out = rows_to_batch(rows)
        for k in batch:  # keep columns even when no row is left
            out.setdefault(k, [])
        return out

    def _merge_batch(self, batch: Batch, result: dict) -> Batch:
        lengths = {k: len(v) for k, v in result.items() if isinstance(v, list)}
        if len(lengths) != len(result) or len(set(lengths.values())) > 1:
            raise JuiceboxError(f"operator {self.name!r}: a batched function must return a dict of "
                                f"equally long lists, got lengths {lengths or result!r}")
        n = next(iter(lengths.values()), batch_len(batch))
        missing = [k for k in batch if k not in result]
        if n != batch_len(batch) and missing:
            raise JuiceboxError(f"operator {self.name!r}: the function changed the row count from "
                                f"{batch_len(batch)} to {n} but did not return column(s) {missing}")
        return {**batch, **result}


class PythonLambdaArgs(OpArgs):
    lambda_str: str = Field("", description="A one-argument Python lambda, e.g. "
                                            "\"lambda s: {**s, 'n': len(s['text'])}\"; empty: identity.",
                            json_schema_extra={"measure": "text"})
    batched: bool = Field(False, description="Call it on a dict of columns instead of one sample.",
                          json_schema_extra={"measure": "flag", "cues": {
                              "true": ["batched", "on whole batches", "on a batch of columns", "批量处理", "按批"],
                              "false": ["per sample", "one sample at a time", "逐条处理", "逐个样本"]}})


@register_op
class PythonLambdaMapper(_UserFunctionMapper):
    name = "python_lambda_mapper"
    Args = PythonLambdaArgs
    description = ("Runs a one-argument Python lambda on every sample (or on a batch of columns) and "
                   "updates the sample with the dict it returns: a quick custom edit without writing "
                   "an operator. Executes the recipe's code, like a script.")
    example = "python_lambda_mapper: {lambda_str: \"lambda s: {**s, 'text': s['text'].lower()}\"}"
    requests = ("apply a lambda to every sample", "run lambda s: {**s, 'n': len(s['text'])} on the data",
                "add a field computed with a python expression", "do a quick custom edit with a one-line lambda",
                "用lambda函数处理每个样本", "用一行Python表达式给样本加一个字段", "对每条数据执行自定义lambda")
    situations = (
        "just a quick one-off tweak, like copying the title into a new field, without writing a script",
        "compute a tiny derived column on the fly, it's a one-liner",
        "I just need the word count of each answer stored alongside it, a throwaway expression is enough",
        "the label field says 'pos'/'neg' and the trainer expects true/false, a trivial inline conversion",
        "lowercasing the title field is all it takes, no need for a whole module",
        "只是临时改一下字段，比如把标题复制到新字段，不想专门写脚本",
        "顺手算一个派生字段，一行代码就能搞定",
        "只是想把每条回答的字数存成一个新字段，随手一个表达式就够",
        "标签字段写的是pos/neg，训练器要布尔值，就是个一行的小映射",
        "把标题字段转小写而已，犯不着专门建一个模块",
        "the transcripts came back entirely in capital letters, and the language model should read ordinary sentence case",
        "转写稿全是大写字母，语言模型要看的是正常的大小写",
    )

    def setup(self) -> None:
        src = self.args.lambda_str
        self._func = compile_lambda(self.name, src) if src else _identity


def compile_lambda(op: str, src: str) -> Callable[[Any], Any]:
    """Compile a lambda string, checking it is one lambda of exactly one argument."""
    try:
        node = ast.parse(src, mode="eval")
    except SyntaxError as err:
        raise OpArgumentError(f"operator {op!r}: argument 'lambda_str' = {src!r} is not valid "
                              f"Python: {err.msg}") from None
    if not isinstance(node.body, ast.Lambda):
        raise OpArgumentError(f"operator {op!r}: argument 'lambda_str' = {src!r} must be a lambda "
                              f"expression like \"lambda sample: {{...}}\"")
    args = node.body.args
    if len(args.args) + len(args.posonlyargs) != 1 or args.vararg or args.kwonlyargs or args.kwarg:
        raise OpArgumentError(f"operator {op!r}: argument 'lambda_str' = {src!r}: the lambda must "
                              f"take exactly one argument (the sample)")
    return eval(compile(node, "<lambda_str>", "eval"), {"__builtins__": __builtins__})  # noqa: S307


class PythonFileArgs(OpArgs):
    file_path: str = Field("", description="Path of a .py file; empty: identity.",
                           json_schema_extra={"measure": "path"})
    function_name: str = Field("process_single", description="Function in the file to call.",
                               json_schema_extra={"measure": "text"})
    batched: bool = Field(False, description="Call it on a dict of columns instead of one sample.",
                          json_schema_extra={"measure": "flag", "cues": {
                              "true": ["batched", "on whole batches", "on a batch of columns", "批量处理", "按批"],
                              "false": ["per sample", "one sample at a time", "逐条处理", "逐个样本"]}})


@register_op
class PythonFileMapper(_UserFunctionMapper):
    name = "python_file_mapper"
    Args = PythonFileArgs
    description = ("Runs a one-argument function from a Python file on every sample (or on a batch "
                   "of columns) and updates the sample with the dict it returns. Executes the "
                   "file's code, like a script.")
    example = "python_file_mapper: {file_path: my_ops.py, function_name: process_single}"
    requests = ("run the function process_single from my script clean.py on each sample",
                "apply a python function defined in a file", "process the samples with my own python file",
                "call a custom function from a .py file",
                "用我写的Python文件里的函数处理数据", "调用clean.py中的process_single函数", "运行自定义脚本文件处理每条样本")
    situations = (
        "our team already has a cleaning script in the repo, just reuse it on every record",
        "the transformation is too complex for one line, it lives in a module a colleague wrote",
        "our house-style cleanup routine lives in tidy_utils.py, which the data team maintains",
        "the parsing needs helper functions, imports and lots of code, way beyond an inline snippet",
        "we want exactly the preprocessing the production service runs, and it sits in a module on disk",
        "组里已经写好了一个清洗脚本，直接拿来处理每条数据",
        "这个处理逻辑太复杂，写在同事的一个代码文件里",
        "解析逻辑要用到辅助函数和第三方库，代码一大篇，塞不进一行",
        "要和线上服务完全一致的预处理，那段代码就放在磁盘上的一个模块里",
        "数据组维护着一个通用处理脚本文件，历次项目都用它逐条处理记录",
    )

    def setup(self) -> None:
        path = self.args.file_path
        self._func = load_function(self.name, path, self.args.function_name) if path else _identity


def load_function(op: str, path: str, name: str) -> Callable[[Any], Any]:
    def bad(msg: str) -> OpArgumentError:
        return OpArgumentError(f"operator {op!r}: argument 'file_path' = {path!r}: {msg}")

    if not os.path.isfile(path):
        raise bad("no such file")
    if not path.endswith(".py"):
        raise bad("not a Python (.py) file")
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    func = getattr(module, name, None)
    if func is None:
        raise bad(f"function {name!r} not found (argument 'function_name')")
    if not callable(func):
        raise bad(f"{name!r} is not callable")
    if len(inspect.getfullargspec(func).args) != 1:
        raise bad(f"function {name!r} must take exactly one argument (the sample)")
    return func
