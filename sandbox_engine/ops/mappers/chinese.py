"""Convert between Simplified, Traditional, Taiwan, Hong Kong Chinese and Japanese kanji with
OpenCC (the official package, as Data-Juicer uses: its dictionaries give Data-Juicer's outputs)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field

from sandbox_engine.ops.base import Mapper, OpArgs, register_op

MODES = ("s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "tw2t", "hk2t",
         "t2hk", "t2jp", "jp2t")


@lru_cache(maxsize=None)
def converter(mode: str) -> Any:
    import opencc

    try:
        return opencc.OpenCC(mode + ".json")
    except Exception:  # noqa: BLE001  (the pure-Python reimplementation takes the bare name)
        return opencc.OpenCC(mode)


class ChineseConvertArgs(OpArgs):
    mode: str = Field("s2t", description=f"Conversion: one of {', '.join(MODES)} (s: Simplified, "
                                         "t: Traditional, tw: Taiwan, hk: Hong Kong, p: phrases).")


@register_op
class ChineseConvertMapper(Mapper):
    name = "chinese_convert_mapper"
    modality = "text"
    Args = ChineseConvertArgs
    description = ("Converts Chinese text between Simplified and Traditional scripts and regional "
                   "variants (Taiwan, Hong Kong, with Taiwan phrase conversion), leaving other "
                   "characters alone, so that a corpus uses one script.")
    example = "chinese_convert_mapper: {mode: t2s}  # '繁體字' -> '繁体字'"

    def setup(self) -> None:
        if self.args.mode not in MODES:
            raise self.bad_arg("mode", self.args.mode, f"allowed: {', '.join(MODES)}")
        try:
            self._conv = converter(self.args.mode)
        except Exception as err:  # noqa: BLE001  (a config the installed OpenCC lacks)
            raise self.bad_arg("mode", self.args.mode, f"the installed OpenCC cannot load it ({err})")

    def process_text(self, text: str) -> str:
        return self._conv.convert(text)
