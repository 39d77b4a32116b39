"""Cleaning mappers: e-mails, IPs, links, HTML, copyright headers, custom patterns and characters.

Regexes are Data-Juicer 1.4.3's, so a recipe edits text exactly as it does there.
"""
from __future__ import annotations

import re

from pydantic import Field

from sandbox_engine.ops.base import Mapper, OpArgs, register_op
from sandbox_engine.ops.mappers._common import compile_pattern, strip_raw_prefix

EMAIL_PATTERN = r"[A-Za-z0-9.\-+_]+@[a-z0-9.\-+_]+\.[a-z]+"
IP_PATTERN = (r"(?:(?:1[0-9][0-9]\.)|(?:2[0-4][0-9]\.)|(?:25[0-5]\.)|(?:[1-9][0-9]\.)|(?:[0-9]\.))"
              r"{3}(?:(?:1[0-9][0-9])|(?:2[0-4][0-9])|(?:25[0-5])|(?:[1-9][0-9])|(?:[0-9]))|"
              r"([\da-fA-F]{1,4}:){7}[\da-fA-F]{1,4}")
LINKS_PATTERN = (r"(?i)\b((?:[a-z][\w-]+:(?:\/{1,3}|[a-z0-9%])|www\d{0,3}[.]|[a-z0-9.\-]+[.][a-z]{2,4}\/)"
                 r"(?:[^\s()<>]+|\(([^\s()<>]+|(\([^\s()<>]+\)))*\))+"
                 r"(?:\(([^\s()<>]+|(\([^\s()<>]+\)))*\)|[^\s`!()\[\]{};:'\".,<>?«»“”‘’]))")


class PatternArgs(OpArgs):
    pattern: str | None = Field(None, description="Custom regular expression (Python syntax) to "
                                                  "replace instead of the built-in one.",
                                json_schema_extra={"format": "regex", "measure": "pattern"})
    repl: str = Field("", description="Replacement for each match (empty: the match is deleted).",
                      json_schema_extra={"measure": "text"})


class _PatternMapper(Mapper):
    """Replace every match of a default or custom regex (DOTALL) by `repl`."""

    Args = PatternArgs
    default_pattern = ""

    def setup(self) -> None:
        custom = self.args.pattern
        source = self.default_pattern if custom is None else strip_raw_prefix(custom)
        self._re = compile_pattern(self.name, "pattern", source, re.DOTALL)
        self._repl = self.args.repl

    def process_text(self, text: str) -> str:
        if not self._re.search(text):
            return text
        return self._re.sub(self._repl, text)


@register_op
class CleanEmailMapper(_PatternMapper):
    name = "clean_email_mapper"
    modality = "text"
    default_pattern = EMAIL_PATTERN
    description = ("Removes e-mail addresses from the text (or replaces them with `repl`, e.g. "
                   "'<EMAIL>'), to strip personal data; a custom `pattern` may replace the default.")
    example = "clean_email_mapper: {repl: '<EMAIL>'}  # 'mail a.b@x.com' -> 'mail <EMAIL>'"
    requests = ("remove personal information such as e-mail addresses", "去除隐私信息里的邮箱地址",
                "erase any e-mail address you find", "replace e-mail addresses with <EMAIL>",
                "strip personal mail addresses from the text", "anonymize emails",
                "delete anything that looks like name@domain.com",
                "删除邮箱地址", "把电子邮件地址替换成<EMAIL>", "去掉文本中的邮件地址", "对邮箱进行脱敏",
                "remove contact details like e-mail addresses before the data is shared",
                "hide people's email addresses to protect their personal data",
                "删掉文本里的联系方式，比如邮箱", "个人信息脱敏，把邮箱地址隐藏起来")
    situations = (
        "the mailing list archive still shows each sender's address in the signatures",
        "support tickets quote customers' contact mailboxes, which legal says must not reach the model",
        "the HR memos we were handed still contain staff addresses like firstname.lastname@company",
        "forum users post their Gmail to trade stuff, and under GDPR those can't stay in the corpus",
        "resumes in the dataset list every applicant's inbox address at the top",
        "邮件列表存档里每封信的签名都带着发件人的邮箱",
        "工单里客户留下的联系邮箱不能进训练集",
        "简历数据最上面都写着应聘者的私人邮箱",
        "二手论坛用户常在帖子里留QQ邮箱方便交易，按隐私规定不能保留",
        "内部通知里还能看到员工的公司邮箱，而这份数据要对外公开",
    )


@register_op
class CleanIpMapper(_PatternMapper):
    name = "clean_ip_mapper"
    modality = "text"
    default_pattern = IP_PATTERN
    description = ("Removes IPv4 addresses and full (eight-group) IPv6 addresses from the text, or "
                   "replaces them with `repl`; a custom `pattern` may replace the default.")
    example = "clean_ip_mapper: {repl: '<IP>'}  # 'host 10.0.0.1' -> 'host <IP>'"
    requests = ("strip personal data like IP addresses", "删掉IP地址这类隐私数据",
                "remove IP addresses", "strip IPv4 and IPv6 addresses from logs",
                "replace IPs with a placeholder", "mask every IPv4 address in the server logs",
                "删除IP地址", "把IP地址替换成占位符", "去掉文本里的IPv4和IPv6地址")
    situations = (
        "the server access logs reveal which network address each visitor connected from",
        "before sharing the router logs with the vendor, hide the machines' network addresses",
        "the firewall alerts list attacker and victim hosts as dotted quads, and security won't let those leak",
        "game server chat logs record each player's connection address next to their messages",
        "the Kubernetes debug output is full of internal pod addresses that reveal our network layout",
        "服务器访问日志里能看到每个访客的网络地址，要抹掉",
        "把路由器日志发给厂商之前，先隐藏设备的网络地址",
        "防火墙告警里满是攻击源和目标主机的点分地址，安全部门不让外泄",
        "游戏服务器聊天日志里每条消息旁边都记着玩家的连接地址",
        "集群调试输出里到处是内网节点地址，会暴露我们的网络拓扑",
    )


@register_op
class CleanLinksMapper(_PatternMapper):
    name = "clean_links_mapper"
    modality = "text"
    default_pattern = LINKS_PATTERN
    description = ("Removes URLs (any scheme such as http, https or ftp, and bare www. or "
                   "domain/path links) from the text, or replaces them with `repl`.")
    example = "clean_links_mapper:  # 'see https://a.org/x now' -> 'see  now'"
    requests = ("get rid of spam links", "去掉广告链接",
                "scrub URLs out of the text", "strip hyperlinks from the text", "delete http and https links",
                "replace web links with [LINK]", "get rid of www addresses",
                "删除网址链接", "去掉文本中的超链接", "把URL替换成[链接]", "清除http和https开头的链接",
                "清除网页里的网址连结", "超连结换成占位符")
    situations = (
        "the comment section is flooded with 'click here' promos pointing to shady websites",
        "tweets in the dataset end with shortened web addresses that mean nothing to the model",
        "the Reddit dump is littered with bare www addresses and t.co redirects mid-sentence",
        "news articles end with 'read more at' followed by a web address that the model just parrots",
        "the model started hallucinating fake web addresses because the training text is stuffed with them",
        "评论区全是引流到其他网站的推广地址",
        "微博数据每条结尾都挂着一个短网址",
        "新闻稿结尾总跟着“原文地址：”加一串网址，模型学会了瞎编链接",
        "论坛帖子正文中间插着各种网盘和淘宝的地址",
        "公众号文章里到处是“阅读原文”后面跟着的长串网页地址",
    )


@register_op
class CleanHtmlMapper(Mapper):
    name = "clean_html_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Turns HTML into its plain text: list items become lines starting with '*', "
                   "tags are dropped and entities decoded (selectolax's HTML parser, as "
                   "Data-Juicer uses).")
    example = "clean_html_mapper:  # '<p>Hi <b>there</b></p>' -> 'Hi there'"
    requests = ("the samples are raw HTML, turn them into text", "convert HTML pages to plain text",
                "remove markup and decode entities like &amp;", "clean up the html",
                "extract the text from web page source", "strip the markup",
                "去除HTML标签", "把网页HTML转成纯文本", "网页源码里的标签全部清掉", "从网页源码中提取正文文字")
    situations = (
        "the crawl saved raw page source, so the text is full of <div> and &nbsp;",
        "the help-center articles were exported with all their markup, we just want readable prose",
        "the email newsletters were stored as their raw template, so every message is wrapped in <table> and <td> soup",
        "product descriptions from the shop API come back with <br>, <span style> and &amp; all over the place",
        "the model keeps outputting angle-bracket tags because the forum posts were saved with their formatting code",
        "爬虫存下来的是网页源码，正文里夹着一堆<div>和&nbsp;",
        "帮助中心文章导出来带着排版标记，只想要能读的正文",
        "商品详情接口返回的描述里到处是<br>、<span>和&amp;",
        "邮件简报存的是原始模板，每封信都裹着一层层<table><td>",
        "模型老是输出尖括号标签，因为论坛帖子是连排版代码一起存的",
    )

    def setup(self) -> None:
        from selectolax.parser import HTMLParser  # noqa: F401  (fail at construction if missing)

    def process_text(self, text: str) -> str:
        from selectolax.parser import HTMLParser

        text = text.replace("<li>", "\n*").replace("</li>", "")
        text = text.replace("<ol>", "\n*").replace("</ol>", "")
        return HTMLParser(text).text()


_BLOCK_COMMENT = re.compile(r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/")
_COPYRIGHT = re.compile("copyright", re.IGNORECASE)


@register_op
class CleanCopyrightMapper(Mapper):
    name = "clean_copyright_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Removes licence headers from code: the first /* ... */ block comment when it "
                   "mentions 'copyright'; in files without a block comment, the leading lines that "
                   "are comments (//, #, --) or empty.")
    example = "clean_copyright_mapper:  # '/* Copyright 2020 */ int x;' -> ' int x;'"
    requests = ("code files begin with copyright banners, cut them", "strip licence comments at the top of code files",
                "delete the license block at the start of each file", "clean copyright notices out of code",
                "删除代码中的版权声明", "去掉源文件开头的许可证注释", "清除代码文件头部的版权信息")
    situations = (
        "every file scraped from GitHub starts with the same Apache boilerplate before any real code",
        "the code model keeps memorizing the legal notices at the top of source files",
        "each C file opens with a block comment listing the company, the year and 'all rights reserved' before the includes",
        "the Python scripts start with a stack of hash-comment lines about the license and authorship",
        "our code completion model suggests a GPL header whenever it sees an empty file",
        "从GitHub抓的源码每个文件开头都是一大段Apache许可声明",
        "代码模型老是背出源文件开头那段法律声明",
        "每个C文件开头都是一段注释块，写着公司名、年份和“保留所有权利”",
        "Python脚本最前面是一大串井号注释，讲授权和作者信息",
        "代码补全模型一看到空文件就先吐出一段GPL授权声明",
    )

    def process_text(self, text: str) -> str:
        m = _BLOCK_COMMENT.search(text)
        if m:
            if _COPYRIGHT.search(m.group()):
                text = text[:m.start()] + text[m.end():]
            return text
        lines = text.split("\n")
        skip = 0
        for line in lines:
            if line.startswith(("//", "#", "--")) or not line:
                skip += 1
            else:
                break
        return "\n".join(lines[skip:]) if skip else text


class ReplaceContentArgs(OpArgs):
    pattern: str | list[str] | None = Field(
        None, description="Regular expression(s) to replace (Python syntax, DOTALL); None: no-op.",
        json_schema_extra={"format": "regex", "measure": "pattern"})
    repl: str | list[str] = Field("", description="Replacement, or one per pattern.",
                                  json_schema_extra={"measure": "text"})


@register_op
class ReplaceContentMapper(Mapper):
    name = "replace_content_mapper"
    modality = "text"
    Args = ReplaceContentArgs
    description = ("Replaces every match of one or more regular expressions with a replacement "
                   "string (one shared, or one per pattern), applied in order.")
    example = "replace_content_mapper: {pattern: '\\d+', repl: '<NUM>'}  # 'a 12' -> 'a <NUM>'"
    requests = ("replace every match of a regex with a string",
                "substitute all phone numbers with <PHONE> using a pattern", "replace 'foo' with 'bar' in all texts",
                "rewrite matches of several regular expressions in order",
                "用正则表达式替换文本内容", "把所有的“公司”替换成“企业”", "将匹配某个模式的内容替换为指定字符串",
                "按正则把电话号码替换成<PHONE>", "delete every occurrence of the literal string 'CONFIDENTIAL'",
                "strip the phrase 'Click here to subscribe' out of all texts", "删掉文本里所有的“【转载】”字样",
                "文本中反复出现的“某句话”全部删除")
    situations = (
        "the old brand name appears everywhere in the manuals and must read as the new one",
        "internal ticket codes follow a fixed pattern and should all become a generic placeholder",
        "every syndicated article carries the same 'Reprinted from the Daily Herald' tag line",
        "order numbers in the chat transcripts all share one format, and to the model they're just noise that should read as a generic token",
        "the translators used an outdated term for the product throughout, and the glossary now prescribes another wording",
        "说明书里到处是旧品牌名，要统一改成新名字",
        "内部工单编号都有固定格式，统一换成占位符",
        "每篇采集来的文章里都有一句固定的“本文转自某某日报”",
        "客服对话里的订单号都是同一种格式，对模型来说只是噪声，换成通用记号更合适",
        "译稿里通篇用的是旧术语，新的术语表规定了另一个说法",
        "message exports are littered with placeholders such as [Photo] or [Voice message] where media used to be",
        "API keys and access tokens were committed into the source files to be open-sourced; the secrets must vanish, the files stay",
        "reposts carry long forwarding chains like //@user: before the author's own words, and only the author's part is wanted",
        "聊天记录导出后到处是[图片][语音]这类占位符，要去掉占位符，聊天一条都不删",
        "代码里被人提交了密钥和访问令牌，开源前必须从文本里抹掉，文件本身都要保留",
        "微博帖子后面挂着一长串//@某某:的转发链，只想留下博主自己写的话",
    )

    def setup(self) -> None:
        pats = self.args.pattern
        pats = [] if pats is None else [pats] if isinstance(pats, str) else list(pats)
        self._res = [compile_pattern(self.name, "pattern", strip_raw_prefix(p), re.DOTALL)
                     for p in pats]
        repl = self.args.repl
        if isinstance(repl, list) and len(repl) < len(self._res):
            raise self.bad_arg("repl", repl, f"give one replacement per pattern ({len(self._res)})")
        self._repls = [repl if isinstance(repl, str) else repl[i] for i in range(len(self._res))]

    def process_text(self, text: str) -> str:
        for rx, repl in zip(self._res, self._repls):
            text = rx.sub(repl, text)
        return text


class RemoveSpecificCharsArgs(OpArgs):
    chars_to_remove: str | list[str] = Field("◆●■►▼▲▴∆▻▷❖♡□",
                                             description="Characters (a string, or a list of strings) "
                                                         "to delete from the text.",
                                             json_schema_extra={"measure": "chars"})


@register_op
class RemoveSpecificCharsMapper(Mapper):
    name = "remove_specific_chars_mapper"
    modality = "text"
    Args = RemoveSpecificCharsArgs
    description = ("Deletes the given characters (by default bullets and geometric symbols such as "
                   "◆●■►) wherever they occur in the text.")
    example = "remove_specific_chars_mapper: {chars_to_remove: '◆●'}  # '●a◆b' -> 'ab'"
    requests = ("remove bullet symbols like ◆ and ●", "delete the characters # and * everywhere",
                "strip specific characters from the text", "get rid of geometric symbols such as ■ and ►",
                "删除◆●■这类符号", "去掉文本中的指定字符", "把#和*字符全部删掉", "清除项目符号字符")
    situations = (
        "the copied slide notes are sprinkled with decorative bullets and arrow glyphs",
        "scraped listings use stars and hearts as ornaments between phrases",
        "the exported meeting minutes have ■ and ▶ glyphs at the start of every point, which the tokenizer turns into junk",
        "copied Word outlines keep their ◆ and ● markers stuck to the text",
        "resumes converted from PDF keep little square and diamond glyphs at the start of every line",
        "从PPT复制的讲稿里到处是装饰性的圆点和箭头符号",
        "二手平台的商品描述用★和♡当装饰分隔",
        "会议纪要导出后每条要点前都带着■和▶，分词时成了垃圾符号",
        "从Word大纲复制过来的内容，◆●这些标记还粘在文字前面",
        "PDF转出来的简历每行开头都有小方块、小菱形",
    )

    def setup(self) -> None:
        chars = self.args.chars_to_remove
        # Data-Juicer builds '[' + '|'.join(chars) + ']', so '|' is removed too.
        self._re = (compile_pattern(self.name, "chars_to_remove", "[" + "|".join(chars) + "]",
                                    re.DOTALL) if chars else None)

    def process_text(self, text: str) -> str:
        return self._re.sub("", text) if self._re else text
