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
                                         "t: Traditional, tw: Taiwan, hk: Hong Kong, p: phrases, "
                                         "jp: Japanese kanji).",
                      json_schema_extra={"measure": "choice", "cues": {
                          "t2s": ["traditional to simplified", "traditional into simplified", "to simplified", "into simplified", "繁体转简体", "繁转简", "转成简体", "转为简体", "改成简体", "换成简体"],
                          "s2t": ["simplified to traditional", "simplified into traditional", "to traditional", "into traditional", "简体转繁体", "简转繁", "转成繁体", "转为繁体", "改成繁体"],
                          "s2tw": ["simplified to Taiwan traditional", "simplified to Taiwanese traditional", "简体转台湾正体", "简转台", "台湾繁体", "台式繁体", "台湾的用字", "台湾用字", "Taiwan characters"],
                          "tw2s": ["Taiwan traditional to simplified", "Taiwanese traditional to simplified", "Taiwanese to simplified", "台湾正体转简体", "台转简", "台湾繁体转简体", "台湾繁体转成简体"],
                          "s2hk": ["simplified to Hong Kong traditional", "简体转香港繁体", "简转港", "港式繁体字", "香港繁体字", "香港的用字", "香港用字", "港式用字", "Hong Kong characters", "Hong Kong usage"],
                          "hk2s": ["Hong Kong traditional to simplified", "香港繁体转简体", "港转简"],
                          "s2twp": ["simplified to Taiwan with Taiwanese phrases", "简体转台湾用语", "台湾的用词", "台湾用词", "台湾的说法", "台湾的习惯说法", "台湾的习惯用语", "Taiwanese phrases", "Taiwanese wording", "Taiwan phrasing"],
                          "tw2sp": ["Taiwan to simplified with mainland phrases", "台湾用语转大陆简体", "大陆的说法", "大陆这边的说法", "大陆的用词",
                                    "大陆用词", "大陆的习惯用语", "mainland phrases", "mainland wording", "mainland phrasing"],
                          "t2tw": ["traditional to Taiwan standard", "繁体转台湾正体"],
                          "tw2t": ["Taiwan standard to traditional", "台湾正体转繁体"],
                          "hk2t": ["Hong Kong to standard traditional", "香港繁体转标准繁体"],
                          "t2hk": ["traditional to Hong Kong standard", "繁体转香港繁体"],
                          "t2jp": ["traditional to Japanese kanji", "繁体转日文新字体"],
                          "jp2t": ["Japanese kanji to traditional", "日文新字体转繁体"]}})


@register_op
class ChineseConvertMapper(Mapper):
    name = "chinese_convert_mapper"
    modality = "text"
    Args = ChineseConvertArgs
    description = ("Converts Chinese text between Simplified and Traditional scripts and regional "
                   "variants (Taiwan, Hong Kong, with Taiwan phrase conversion), leaving other "
                   "characters alone, so that a corpus uses one script.")
    example = "chinese_convert_mapper: {mode: t2s}  # '繁體字' -> '繁体字'"
    requests = ("turn traditional characters into simplified ones", "I need the simplified text rewritten in traditional script",
                "make the whole corpus use simplified script", "convert the text to Taiwan traditional Chinese",
                "normalize Hong Kong Chinese to simplified",
                "繁體字全部改成简体字", "将简体字转为繁体字", "统一转换成简体中文", "把文本转成台湾正体",
                "港式繁体转简体")
    situations = (
        "the Taiwanese forum posts are in traditional characters but our model is trained on mainland text",
        "we're launching in Hong Kong, so the mainland-written product descriptions need the local script",
        "half the novels came from a Hong Kong site and half from the mainland, so the same character shows up in two shapes",
        "our Taiwanese customers complain that the chatbot answers in mainland-style characters",
        "the classical texts were digitized in complex-form characters and our simplified-only tokenizer chops them up",
        "从台湾论坛爬来的帖子都是繁体，跟大陆语料混在一起不统一",
        "产品要在香港上线，内地写的商品文案得换成当地的字形写法",
        "小说一半来自香港网站一半来自内地，同一个字有两种写法，词表被撑大了",
        "台湾用户抱怨客服机器人回复用的是大陆字形，看着别扭",
        "我們的語料有簡有繁，檢索時同一個詞常常對不上",
    )

    def setup(self) -> None:
        if self.args.mode not in MODES:
            raise self.bad_arg("mode", self.args.mode, f"allowed: {', '.join(MODES)}")
        try:
            self._conv = converter(self.args.mode)
        except Exception as err:  # noqa: BLE001  (a config the installed OpenCC lacks)
            raise self.bad_arg("mode", self.args.mode, f"the installed OpenCC cannot load it ({err})")

    def process_text(self, text: str) -> str:
        return self._conv.convert(text)
