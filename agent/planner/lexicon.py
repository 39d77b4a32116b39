"""The planner's language tables: everything language-specific and nothing operator-specific.

Comparators, keep/remove verbs, units (mapped to the measures that operators' arguments declare),
numerals, clause separators and language names, in English and Chinese. Operators are never named here:
what an operator does, what its arguments measure and how users ask for it live on the operator.
"""
from __future__ import annotations

import re

# -- measures: the unit words of a quantity -> the `measure` an argument declares ------------------
UNITS: dict[str, str] = {
    # English (singular forms; plural 's' is optional in the pattern)
    "character": "characters", "char": "characters", "letter": "characters", "code point": "characters",
    "codepoint": "characters", "word": "words", "token": "tokens", "line": "lines", "row": "count",
    "pixel": "pixels", "px": "pixels", "bit": "hamming_distance", "byte": "bytes", "second": "seconds", "sec": "seconds",
    "minute": "seconds", "min": "seconds", "hour": "seconds", "frame": "frames", "fps": "fps",
    "hz": "hertz", "khz": "hertz", "hertz": "hertz", "db": "decibels", "decibel": "decibels",
    "face": "count", "column": "count", "col": "count", "sample": "count", "example": "count",
    "record": "count", "document": "count", "doc": "count", "item": "count", "entry": "count",
    "entrie": "count", "pair": "count", "image": "count", "picture": "count", "photo": "count",
    "text": "count", "clip": "count", "percentile": "percentile", "quantile": "percentile", "分位": "percentile",
    "百分位": "percentile", "video": "count", "file": "count", "sentence": "count",
    # Chinese
    "字符": "characters", "个字": "characters", "字": "characters", "个词": "words", "词": "words",
    "单词": "words", "个单词": "words", "个token": "tokens", "token": "tokens", "个标记": "tokens",
    "标记": "tokens", "行": "lines", "像素": "pixels", "字节": "bytes", "秒": "seconds", "分钟": "seconds",
    "小时": "seconds", "帧": "frames", "赫兹": "hertz", "分贝": "decibels", "张脸": "count", "个人脸": "count",
    "条": "count", "名": "count", "个": "count", "篇": "count", "张": "count", "份": "count", "段": "count", "列": "count",
    # money: a plain number of a field ('meta.price 在 9.9 元到 99 元之间')
    "元": "number", "美元": "number", "人民币": "number", "dollar": "number", "usd": "number", "yuan": "number", "euro": "number",
}
TIME_SCALE = {"minute": 60, "min": 60, "hour": 3600, "分钟": 60, "小时": 3600, "percentile": 0.01, "quantile": 0.01,
              "分位": 0.01, "百分位": 0.01}
SIZE_UNITS = r"(?:[KMGTP]i?B|[KMGTP]i?b|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?|megs?|gigs?|[kKmMgG](?=\s*(?:的|以上|以下|字节)))"
SIZE_WORDS = {"kilobyte": "KB", "megabyte": "MB", "gigabyte": "GB", "terabyte": "TB", "byte": "B", "bytes": "B",
              "k": "KB", "m": "MB", "g": "GB", "meg": "MB", "gig": "GB"}

# -- comparators -----------------------------------------------------------------------------------
# before the number ('at least 50'), after it ('50 or more', '50以上'); ge = the quantity is >= N
GE_BEFORE = [
    r"greater than or equal(?: to)?", r"more than or equal(?: to)?", r"at least", r"no less than", r"not less than",
    r"no fewer than", r"not fewer than", r"no shorter than", r"no smaller than", r"no lower than", r"minimum(?: of)?",
    r"(?:a |the )?(?:hard )?floor (?:of|at|is)", r"floor\s*[:=]", r"pass(?:ing)? (?:mark|score|grade|line|threshold)\s*(?:of|at|is|[:=])?", r"min\.?", r"min(?:imum)?\s+(?:(?!(?:over|under|above|below|than|past|beyond|exceed\w*|within|at least|at most|up to|more|less|fewer)\b)[A-Za-z-]+\s+){1,3}(?:of|is|=|:|at)?", r"more than", r"more [a-z]+ than", r"greater than", r"larger than", r"bigger than", r"longer than", r"wider than",
    r"taller than", r"higher than", r"heavier than", r"louder than", r"stronger than", r"over", r"above", r"exceed(?:s|ing)?", r"upwards of",
    r"beyond", r"in excess of", r"north of", r"too (?:long|big|large|wide|tall|many|much|heavy) to fit (?:in|into|within)(?: (?:a|an|the|our|one))?", r"starting (?:at|from)", r"past", r"surpass(?:es|ing)?", r"≥", r">=",
    r">", r"gte?",
    "大于等于", "大于或等于", "高于等于", "不少于等于", "至少", "不少于", "不低于", "不小于", "不短于", "超过", "超出", r"逾(?![期越])", "高于", "大于", "多于", "长于", "宽于", "多过", "起码", "也得有", "也要有", "总得有", "起码得有", "至少得有",
    "最少", "最低", "最短", "大於", "多於", "超過", "高於", "不少於", "不低於", "不小於", "过了", "超了", "超出了", "一旦过", "最小", "大过", "高过", "长过", "宽过", "达到", "达", "到达", "够", "到了", "不止", "能到", "下限", "及格线", "合格线", "录取线", "保底线", "底线", "迈过", "跨过", "越过",
    r"later than", r"newer than", "晚于", "晚於", "迟于",  # dates: 'later than 2019'
    r"reach(?:es|ing)?", r"hit(?:s|ting)?", r"tops(?!\s+out)", r"topping(?!\s+out)", r"clear(?:s|ing)?", r"make(?:s)? it (?:to|past|over)", r"get(?:s)? (?:to|past|over)",
]
LE_BEFORE = [
    r"less than or equal(?: to)?", r"fewer than or equal(?: to)?", r"at most", r"no more than", r"not more than",
    r"no longer than", r"no larger than", r"no bigger than", r"no greater than", r"no higher than", r"not exceeding",
    r"not over", r"(?:a |the )?(?:hard )?ceiling (?:of|at|is)", r"ceiling\s*[:=]", "天花板", r"(?:a |the )?(?:hard )?(?:limit|cap)\s*(?:[:=]|of\b)", r"maximum(?: of)?", r"max\.?", r"max(?:imum)?\s+(?:(?!(?:over|under|above|below|than|past|beyond|exceed\w*|within|at least|at most|up to|more|less|fewer)\b)[A-Za-z-]+\s+){1,3}(?:of|is|=|:|at)?", r"less than", r"fewer than", r"smaller than", r"shorter than",
    r"narrower than", r"lower than", r"less [a-z]+ than", r"lighter than", r"quieter than", r"softer than", r"weaker than", r"under", r"below", r"beneath", r"underneath",
    r"within", r"fits? (?:inside|within|into)", r"up to", r"capped at", r"tops? out at", r"topping out at", r"peaks? at", r"falls? short of", r"falling short of",
    r"short of", r"(?:over|done|finished|end(?:s|ed)?|ending) (?:before|within|in under)",
    # 'a document that fails to reach a similarity of 0.615', "doesn't make it to 0.5"
    r"(?:fail(?:s|ed|ing)? to|(?:does|do|did)(?: not|n't)|never|can'?t|cannot) (?:reach|hit|meet|make it to|get to|attain|achieve)(?:e?s)?(?: (?:an?|the) [a-z]+(?: [a-z]+)?(?: of)?)?",
    r"cap\w* (?:\w+ ){0,5}at", r"limit\w* (?:\w+ ){0,5}to", r"keep (?:\w+ ){0,4}under", r"≤", r"<=", r"<", r"lte?",
    "小于等于", "小于或等于", "低于等于", "不超过", "不多于", "不大于", "不高于", "不长于", "不超出", "至多", "最多", "最高", "最长", "低于", "小于", "少于", "短于",
    "不到", "不足", "未满", "未达到", "窄于", "不超過", "不多於", "不大於", "低於", "小於", "少於", "顶多", "封顶", "最大", "不满", "不够", "没满", "没够",
    r"(?:don'?t|doesn'?t|do not|does not|didn'?t) (?:even )?(?:last|reach|hit|get to|make it to)",
    r"fail(?:s|ed|ing)? to (?:even )?(?:reach|hit|get to|make it to|meet|clear|make)",
    r"(?:down(?:scal|siz)\w*|shrink\w*|scal\w* down|reduc\w*)(?:\s+\w+){0,3}?\s+to", "降到", "缩小到", "缩到", "压到", "降至",
    "上限", "最多只", "撑死", "没有", "没到", "没有到", "未到", "没达到", "没有达到", "达不到", "没过", "没有过", "够不上", "够不到",
    r"earlier than", "早于", "早於",  # dates: 'earlier than 2015'
    "跌破", "跌到", "掉到", "掉出", "滑到", "落到", r"(?:dips?|dipped|dipping|drops?|dropped|dropping|falls?|fell|falling|sinks?|sank|slips?|slipped) (?:below|under|beneath)",
]
GE_AFTER = [r"or (?:more|greater|higher|longer|larger|bigger|above|over|better)(?= |$)", r"or better",
            r"(?:at (?:a |the )?)?min(?:imum)?\b",r"or more", r"or above", r"or higher", r"or longer", r"or greater", r"or bigger", r"or larger", r"or over",
            r"and (?:up|above|over|more)", r"(?:or|and) (?:later|after|newer)\b", r"\+(?!\w)", r"(?<!\s)\+(?=\w)", r"plus", r"or wider", r"or taller",
            r"(?:is|are|would be|will be)(?: already)? (?:too|way too|far too) (?:much|many|high|long|big|large)",
            r"(?:is|are|as) (?:the|our|my|a) (?:hard |absolute |bare )?(?:floor|minimum|min|lower limit)\b",
            "为下限", "是下限", "起步", "保底", "打底", "是及格线", "为及格线", "是底线", "为底线", "是门槛", "为门槛", "以上", "年以后", "年之后", "年及以后", "及以上", "或以上", "或更多", "或更长", "或更高", "或更大", "多", "开外", "还大", "更大", "还要大", "还多",
            "更多", "还高", "更高", "还长", "更长", "还宽", "更宽",
            "高一点", "高一些", "大一点", "大一些", "多一点", "多一些", "长一点", "长一些", "高", "大"]
LE_AFTER = [r"or worse", r"(?:or|and) (?:earlier|before|older)\b", r"or less", r"or fewer", r"or below", r"or lower", r"or shorter", r"or smaller", r"or under",
            r"and (?:below|under|less|fewer)", r"(?:at )?max(?:imum)?", r"at (?:the )?most", r"tops",
            r"(?:is|are|would be|will be)(?: already)? (?:too|way too|far too) (?:little|few|low|short|small)",
            r"(?:is|are|as) (?:the|our|my|a) (?:hard |absolute )?(?:ceiling|cap|limit|upper limit|maximum|max)\b",
            r"(?:is|are) (?:already )?as (?:far|high|much|long|big|many) as (?:i'?ll|we'?ll|i will|we will|i can|we can|i'?d|we'?d) (?:go|accept|take|allow)",
            "为上限", "是上限", "封顶", "以下", "年以前", "年之前", "年及以前", "及以下", "或以下", "以内", "之内", "或更少", "或更短", "或更低", "或更小", "以內", "还小", "更小",
            "还少", "更少", "还低", "更低", "还短", "更短", "都没到", "都不到", "都不足", "都没有", "都没", "没到", "不到",
            "低一点", "低一些", "小一点", "小一些", "少一点", "少一些", "短一点", "短一些", "都够不着", "够不着",
            "都达不到", "达不到", "都不够", "低(?!于|於|分|质|端|清|频)"]
EQ_BEFORE = [r"exactly", r"precisely", r"equal to", r"equals", r"==", "等于", "恰好(?:有|是)?", "正好(?:有|是)?", "刚好(?:有|是)?", "不多不少(?:正好|刚好)?(?:有|是)?", r"(?<=数)(?:为|是)", r"(?<=数量)(?:为|是)"]

# Chinese names of words that appear in argument names ('汉明距离设为5' -> hamming_distance)
ARG_WORDS_ZH: dict[str, tuple[str, ...]] = {
    "hamming": ("汉明", "海明"), "divisible": ("倍数", "整除"), "window": ("窗口", "窗长"), "permutations": ("置换", "排列"), "threshold": ("阈值", "门限", "门槛"),
    "overlap": ("重叠",), "face": ("人脸", "脸", "面部", "面孔", "头像"), "radius": ("半径",), "blocks": ("分块", "块数", "块"), "frame": ("帧",), "caption": ("字幕"),
    "sampling": ("采样",), "keep": ("保留", "留下", "留着", "留"), "original": ("原视频", "原始", "原文件", "原图", "原样本", "原"), "filter": ("滤镜", "濾鏡", "过滤器"), "seed": ("种子",), "prompt": ("提示词", "提示语", "提示"), "roi": ("位置", "坐标", "区域"), "jaccard": ("杰卡德",), "distance": ("距离",), "tokenization": ("分词",),
    "lowercase": ("小写",), "tempo": ("速度", "倍速"), "amplitude": ("振幅", "幅度"), "sigma": ("标准差",),
    "duration": ("时长",), "horizontal": ("水平",), "vertical": ("垂直", "竖直"), "flip": ("翻转",), "max": ("最大", "最高", "上限"), "min": ("最小", "最低", "下限"), "fps": ("帧率",), "last": ("最后", "末尾", "结尾", "尾巴", "尾段", "剩下的一小段"), "split": ("切段", "切分", "每段"), "repetition": ("重复",), "substrings": ("子串",), "probability": ("概率",),
}

# words of argument names said as one Chinese character, written as patterns so that the character is not read inside
# a comparator ('高超过4000像素' names the height, '高于' does not)
ARG_PATTERNS_ZH: dict[str, tuple[str, ...]] = {
    "width": ("宽度", "宽(?![于於过度])"), "height": ("高度", "高(?![于於过度清分质])"),
}

# other English words for words in argument names ('a final piece shorter than 5 s' -> min_last_split_duration)
ARG_WORDS_EN: dict[str, tuple[str, ...]] = {
    "last": ("final", "trailing", "leftover", "remaining"), "overlap": ("overlapping", "shared"),
    "window": ("shingle", "shingles", "n-gram", "ngram"),
    "original": ("full", "whole", "unsplit", "uncut", "source"),
    "permutations": ("perms", "hash functions"), "threshold": ("cutoff", "cut-off"),
    "substrings": ("containing", "contains", "in it", "inside it"),
    "flip": ("mirror", "mirrored", "flipped"),
}

# -- the samples themselves ('texts', 'posts', '文档'): what a keep/remove clause bounds, and what a count counts
SAMPLE_WORDS = [r"texts?", r"docs?", r"documents?", r"samples?", r"records?", r"rows?", r"entries", r"pages?", r"articles?",
                r"posts?", r"reviews?", r"essays?", r"items?", r"listings?", r"notices?", r"transcripts?", r"pairs?"]

# words that name a kind of value, not what is measured ('the score', '分数'): a piece saying only these and a
# number speaks of the step just named
GENERIC_MEASURE_WORDS = [r"scor(?:es?|ing|ed)", r"values?", r"ratios?", "分数", "得分", "分值", "数值", "比例", "比率", "占比", "比重", "比值"]

# -- keep / remove verbs (the polarity of a clause) -----------------------------------------------
KEEP_WORDS = [
    # ('I keep getting crowd shots': goes on receiving, keeps nothing)
    r"keep(?:s|ing)?(?![a-z])(?!(?:\s+[\w-]+){0,8}?\s+out\s+of\b)(?!\s+(?:on\s+)?(?:getting|seeing|finding|running into|coming across|"
    r"bumping into|hitting|receiving|noticing|spotting|hearing|showing up|popping up|turning up|encountering|crashing|failing|"
    r"breaking|happening|appearing|causing|timing out|blowing up|choking|erroring|tripping|killing|hanging|stalling|throwing|"
    r"coming (?:up|back|in)|sneaking|slipping|leaking|creeping|messing)\b)", r"kept(?!\s+(?:well\s+)?(?:out|away)\b)", r"retain(?:s|ing|ed)?", r"(?:hang|hold)(?:s|ing)? on ?to", r"(?<![\u4e00-\u9fff])留(?![\u4e00-\u9fff])", r"preserve[sd]?", r"only",
    r"just(?=\s+(?:the|those|these|keep|retain|ones?|samples?|docs?|documents?|texts?|images?|pictures?|photos?|videos?|clips?|files?)\b)",
    r"leave(?! (?:\w+ ){0,2}out\b)(?!s? (?:the |our |this )?(?:data ?set|corpus|pipeline|set|collection|pool|mix)\b)",
    r"want",
    # 'they need to be cut into chunks' asks for an action, it keeps nothing; 'need to be at least 50' keeps
    r"needs?(?!\s+(?:for|to)\b)",
    r"needs? to be(?=\s+(?:at least|at most|no more|no less|longer|shorter|more|less|over|under|above|below|between|within|kept|retained|\w+er\b))",
    r"require[sd]?", r"must be", r"should be", r"has to be", r"have to be",
    r"(?:must|should|has to|have to|needs? to)(?= (?:exceed|reach|surpass|top|stay|beat|hit)\b)",
    r"(?:go(?:es)?|went|move(?:s|d)?|advance(?:s|d)?)\s+(?:on\s+|through\s+)?to the next (?:round|stage|step)", r"advance(?:s|d)?\b",
    r"exempt(?:s|ed|ion|ions)?\b", r"(?:with )?the exception of", r"豁免", r"免于删除",
    r"select(?:s|ing)?", r"pick(?:s|ing)?", r"survivors?\b", r"pass(?:es)? (?:this|the|our|that|a) (?:check|test|filter|bar|screen)", r"(?:这种|这些|这类|那种|那些|这样的)(?:就|都|也)?要(?![\u4e00-\u9fff])", r"restrict(?:ed)? to", r"limit(?:ed)? to", r"filter (?:down )?(?:to|for)",
    r"(?<!whatever )(?<!what )(?<!anything )(?:stays?|remains?|survives?)\b(?!\s+(?:under|below|above|over|within|between|in|at|below|the)\b)",
    r"(?:is|are|'s|'re)(?: perfectly| totally| all| still)? (?:fine|ok(?:ay)?|acceptable|welcome|admissible|eligible)(?!\s+(?:to|with)\b)",
    r"(?:makes?|made) the cut",
    # ('Nothing longer than 4096 tokens can go into the SFT set': what goes into the set is kept)
    r"(?:can|may|should|will|gets? to|is allowed to|are allowed to)\s+(?:go|get|make it|end up)\s+(?:in|into)\b",
    r"stick to", r"ensure", r"make sure", r"make(?! up\b)(?!(?:\s+[\w-]+){1,4}?\s+(?:sound|look|feel|seem)\s+like\b)(?=\s)", r"allow(?:ed)?",
    "保留", "只要", "留下", r"录取(?!线|分数线|率)", r"(?:可以|能|可)留(?![\u4e00-\u9fff]*(?:不|别))", "采用", "采纳", "收录", "录用", "仅保留", "只保留", "仅要", "保持", "挑出", "选出", "筛选出", "只留", "只收", "只接受", "只认", "仅接受", "仅收", r"要求(?!\s*[”\x22」』]?\s*[:：])", "需要", "必须",
    "只", "仅", "留住", "留着", "留著", r"(?:要|得|须|需要|必须)有(?=\s*\d)", r"才有(?:训练|使用|保留|学习|参考)?(?:价值|意义|用)", r"(?:可以|能)用(?=[了的吧啦]?\W*$)", "才(?:算|能|可以)?(?:合格|达标|够格|及格|过关|入选|行|可以|要|收|留|用)", "算合格", "(?:限制|限定|控制|保持|卡)在", "(?:就|都|也)没问题", "要在", "得在", "需在", "须在", "应在", "应该在", "要达到", "得达到",
]
# the removal verbs; clauses.REMOVE_RE also reads every JUDGEMENT_WORDS entry below as a removal
REMOVE_WORDS = [
    r"remov(?:e|es|ed|ing)", r"drop(?:s|ped|ping)?(?!\s+(?:below|under|beneath|to|by|from)\b)", r"delet(?:e|es|ed|ing)", r"discard(?:s|ed|ing)?",
    r"filter(?:s|ed|ing)?(?: out| away)?", r"throw(?:n|ing)? (?:out|away)", r"throw", r"thrown", r"exclud(?:e|es|ed|ing)",
    r"get rid of", r"rid of", r"chop(?:s|ped|ping)? (?:out|off)", r"get (?:those|these|them|it|that|this|all (?:of )?(?:those|these|them)) out\b", r"eliminat(?:e|es|ed|ing)", r"toss(?:ed)?", r"ditch(?:ed)?", r"strip(?:s|ped|ping)?",
    r"purg(?:e|ed|ing)", r"binn(?:ed|ing)", r"set aside", r"bins?(?=\s+(?:any|all|every|each|the|those|these|them|it|anything|everything)\b)",
    r"chuck(?:s|ed|ing)?(?: \w+)? (?:out|away)\b", r"cut(?:ting)?\b(?: out)?(?!\s+(?:\w+\s+){0,3}?(?:into|up|at|by|to)\b)", r"skip(?:s|ped)?", r"reject(?:s|ed)?", r"prun(?:e|ed|ing)",
    r"weed(?:ed)? out", r"lose", r"ban", r"kill", r"nuke", r"scrub(?:bed)?", r"clean(?:s|ed|ing)?(?: out| up)?",
    r"must go", r"should go", r"have to go", r"has to go", r"go away", r"are junk", r"is junk",
    r"(?:is|are|was|were)(?: not|n't) (?:useful|acceptable|wanted|needed|welcome|ok(?:ay)?|good)",
    r"(?<=\s)(?<!'ll )(?<!will )(?<!can )(?<!'d )go(?:es)?(?=(?:\s+(?:too|as well|also|away))?\W*$)", r"(?:can|may|should|must|will) go\b", r"(?:are|is) (?:out|gone)\b",
    r"(?:should|must|may|can|will|does|do|did)(?: not|n't) (?:survive|stay|remain|be kept|make it|make the cut)", r"don'?t want", r"do not want", r"no longer want", r"not wanted",
    r"dedup\w*", r"de-dup\w*", r"[:\-–—>]\s*(?:out|gone)(?=\W*$)", r"anonymi[sz]e", r"mask", r"scrap", r"axe",
    "删除", "删掉", "删去", "去掉", "去除", "过滤", "剔除", "丢弃", "清除", "移除", "扔掉", "排除", "不要", "甭要", "甭留", "清理",
    "干掉", "筛掉", "除去", "拿掉", "抛弃", "去重", "清洗", "过滤掉", "丢掉", "刪除", "過濾", "剔掉", "抹掉", "抹去", "抹除", "清除掉",
    "清掉", "扔了", "丢了", "扔", "都不留", "都别留", "不留", "别留", "不要留", "别要", "不接受", "不能要", r"不予(?:入库|收录|采用|保留|接收|录用|通过)", r"不(?:得|能|准)?(?:入库|收录)", "拒收",
    "就不行", r"不行(?=[。.!！]?\s*$)", r"甩(?:了|掉|走)", r"(?:去|弃|删|除)之", "不值得留", "删", "处理掉", "跳过", "略过", "踢掉", "踢出", r"kick(?:s|ed|ing)? out", "砍掉", "砍了", "退回去", "退回",
    r"(?:come|comes|coming|came|taken|take|takes) out of\b", r"(?:doesn'?t|does not|didn'?t|did not) want", r"disqualif(?:y|ies|ied)",
    r"(?:are|is) of no use", r"no use to", r"(?:have|has|had) no use for", r"(?:does|do)(?: not|n't) cut it",
    r"\bgone(?=\W*$)",
    r"(?:leave|leaves|leaving|exit|exits|exiting|quit|quits) (?:the |our |this )?(?:data ?set|corpus|pipeline|set|collection|pool|mix)\b",
    r"(?:take|takes|taking|took|taken) (?:[\w-]+ ){0,6}?out\b(?! of\b)", "刷掉", "筛除", "刷下去", "切掉", "吊销", "注销", "封禁", "拉黑",
    # ("the vendor won't accept anything longer than 40 minutes"): a refusal to accept
    r"(?:won'?t|will not|doesn'?t|does not|don'?t|do not|can'?t|cannot|never|refuses? to|refused to)\s+(?:even\s+)?(?:accept|take|allow|admit)\b",
    r"scoop(?:s|ed|ing)? (?:it |them |those )?out\b", r"gets? the (?:boot|axe|chop)\b", r"(?:别|不)让(?:它|它们|他们)?(?:上车|进场|进门|进来|入库|过关)", "下线", "下架", "封存", "撤下", "撤掉", "不进训练集", "进不了训练集", "不进数据集", r"kept (?:well )?(?:out|away)\b", r"keep(?:s|ing)?(?:\s+[\w-]+){0,8}?\s+out\s+of\b",
    r"disappear(?:s|ed|ing)?\b", r"vanish(?:es|ed|ing)?\b", "消失",
    r"stays? (?:out of|away from)\b", r"(?:is|are) (?:shown|shown to) the door\b", "作废", "请出去", "请出", "踢出去", "清出",
]
# judgements that remove whatever the sentence described before them ('..., and crowd shots are not welcome')
# compound terms that name an operator's name tokens: an 'image-text pair' is an image and its text, not two
# images ('image pairs'); the operators whose names hold all the tokens step forward
COMPOUND_TERMS = {
    r"\b(?:image|photo|picture)[-\s](?:text|caption)(?:\s+pairs?)?\b|\bimage[-\s]caption\b|\b(?:image|photo|picture)s?\s+and\s+(?:its\s+|their\s+)?(?:text|captions?)\b|图文对|图文|(?:图片|图像|照片|图)(?:和|与|跟)(?:配文|文字|文本|描述|标题)": ("image", "text"),
    r"\b(?:video|clip)[-\s](?:text|caption)\s+pairs?\b|视频和文案|画面和文案": ("video", "text"),
    r"\b(?:two|2|both|pairs? of)\s+(?:images|pictures|photos)\b|(?:两|2)\s*张(?:图片?|照片)": ("image", "pair"),
}

# Chinese verbs of an operation (not keep/remove): a piece that uses one asks for that action, and an operator
# whose Chinese requests use it offers it ('把长文切块' asks for chunking, whatever the quoted '。' says)
ZH_ACTION_VERBS = ["切块", "分块", "切分", "拆分", "拆成", "切成", "分段", "切段", "分句", "断句", "替换", "换成", "改成",
                   "转成", "转换", "转为", "规范", "归一", "统一", "去重", "抽帧", "抽取", "截取", "截图", "裁剪", "裁切",
                   "缩放", "缩小", "放大", "模糊", "打码", "打标签", "标注", "分组", "合并", "拼接", "拼成",
                   "展开", "采样", "抽样", "排序", "重采样", "降噪", "加噪", "加噪声", "压缩", "修复", "去水印", "翻转",
                   "配字幕", "写描述", "拆回", "拆开", "展平", "聚合", "汇总", "切开", "打包"]
# other words for the same action ('剪成短片段' is '切成'): read as the verb the operators' requests use
ZH_ACTION_SYNONYMS = {"剪成": "切分", "截成": "切分", "裁成": "切分", "剁成": "切分", "剪开": "切分", "截断成": "切分",
                      "切成": "切分", "切开": "切分", "拆成": "切分", "切段": "切分",
                      "打上标签": "打标签", "贴标签": "打标签", "去掉水印": "去水印", "抹掉水印": "去水印", "擦掉水印": "去水印"}

JUDGEMENT_WORDS = [
    r"useless", r"unwanted", r"worthless", r"garbage", r"junk", r"unacceptable", r"not acceptable", r"no good",
    r"(?:is|are|was|were)(?: not|n't) (?:useful|acceptable|wanted|needed|welcome|ok(?:ay)?|good|allowed|fine|admissible|eligible|permitted|required|necessary)",
    r"(?:is|are|gets?|goes?|go|sent) off (?:the )?(?:pitch|field|list|island|stage|team|menu|bus|train)\b",
    r"inadmissible", r"ineligible", r"(?:is|are|gets?) grounded\b", r"超标", r"落榜", r"清退",
    # what got into the data by mistake ('GIFs snuck into the photo set', '图片集里混进了 GIF')
    r"(?:keeps?|kept) (?:sneaking|creeping|slipping|getting) in(?:to)?\b", r"(?:snuck|sneaked|crept|slipped) in(?:to)?\b",
    r"got mixed in(?:to)?\b", r"混进了?", r"混入了?", r"掺进了?", r"掺杂了?",
    r"(?:should|must|can|may|will)(?:n'?t| not| never) be (?:trained|used|learned|fine-tuned) (?:on|from|for training)\b",
    r"(?:不能|不该|不应该?|别|不要|不可以)(?:拿来|用来|用于|用作)?训练",
    r"of no use", r"won'?t cut it", r"not worth keeping", r"pointless", r"meaningless", r"dead weight", r"a waste",
    r"wasted", r"unusable", r"unnecessary", r"superfluous", r"trash", r"rubbish", r"gibberish",
    r"(?:can|could) (?:live|do) without", r"(?:nobody|no one) (?:needs?|wants?)", r"(?:don'?t|do not|doesn'?t|does not) need",
    r"no need for", r"(?:is|are|isn'?t|aren'?t|not) worth (?:keeping|having|it)", r"(?:is|are)n'?t worth", r"no value",
    r"clog\w*", r"leave (?:\w+ ){0,2}out", r"(?:has|have|had) no (?:place|business)", r"(?:does|do|did)(?:n't| not) belong",
    r"wreck\w*", r"ruin\w*", r"mess(?:es|ing)? up", r"screw(?:s|ing)? up", "不属于", "搞砸", r"(?:can'?t|cannot|won'?t) use",
    "没用", "用不上", "不需要", "不受欢迎", "不合格", "不能用", "浪费", "没必要", "不必要", "用不了", "算了", "多余",
    "不能留", "不收", "没意义", "没有意义", "无意义", "累赘", "不值得", "没价值", "没有价值", "无用", "不用留",
    "进不了", "不能进", "不进", "没有一个是?能用", "没一个能用", "(?:别|不要|不能|不)让(?:它们?|这些|那些|其)?进", "废(?:片|图|数据|料|品|稿)", "别放进来", "不要放进来", r"不用(?:了|吧|啦)?(?=\W*$)", "别放进", "不放进", "淘汰", "别浪费", "不够格", "不合要求",
    r"(?:should|must|may)(?: not|n't) (?:end up|be) in\b", r"keep (?:\w+ )?out of", r"(?:not|never) make it into",
    r"\bbin (?:them|it|those|these)\b", r"\bbin\b(?=\W*$)",
    r"(?:is|are|'s|'re)\s+(?:(?:basically|just|mostly|pure|all|only|simply|really|nothing but|plain)\s+){0,2}(?:['\"“‘][^'\"”’]{1,16}['\"”’]\s+)?"
    r"(?:noise|spam|junk|garbage|trash|rubbish|filler|clutter)\b",  # ("they're mostly '+1' noise")
    r"(?:won'?t|will not|shouldn'?t|should not|can'?t|cannot|must not|mustn'?t|may not) be used\b",
    r"(?:should|must|may|can|will|does|do|shall)(?:n't| not) (?:contain|include|hold|have)\b",
    "没法用", "没办法用", "无法使用", "不能使用", "用不成", "训练不了", "学不到东西",
    # ('…mostly on-screen text, which is not the kind of footage we want', '不是我们想要的')
    r"(?:is|are|'s|'re)(?: not|n't) (?:(?:the|a) (?:kind|sort|type) of (?:\w+ ){0,2}|what )(?:we|i|you) (?:want|need|are after|were after|asked for)",
    r"不是我们?(?:想要|要|需要)的",
    r"(?:can'?t|cannot|can not|may not|must not|mustn'?t|should not|shouldn'?t|won'?t|will not)\s+(?:go|get|make it|end up)\s+(?:in|into)\b",
    r"(?:must|should|can|may|will|shall)\s+never\s+(?:ship|be shipped|go out|be released|be published|appear|get in|make it)\b",
    r"(?:don'?t|do not|doesn'?t|does not) care (?:about|for)\b", r"no[- ]go\b", "不关心", "不在乎", "不在考虑范围",
    "拒收", "拒绝", r"deal[- ]?breakers?", r"(?:is|are) a (?:red flag|non-starter|dealbreaker)\b", "一票否决",
    r"what good (?:is|are|would|does|do)\b", r"what(?:'s| is) the (?:point|use) (?:of|in)\b",
    r"(?:no|nothing|none)\s+(?:\w+\s+){0,2}(?:gets?|goes|makes? it|comes?)\s+in(?:to)?\b", r"(?:does|do|did)(?:n't| not) get in(?:to)?\b",
    # a grade: 'X or more is a FAIL', 'counts as a failure', '算不及格', '判为不合格'
    r"(?:is|are|counts? as|gets?|means?|=)\s+(?:an?\s+)?(?:automatic\s+|instant\s+)?(?:fail|failure|reject|rejection)\b", r"\bfails?\b(?=\W*$)",
    "不及格", "判为不合格", "算不合格", "判不合格", "判负", "出局", "靠边站", r"不(?:该|应该|应)(?:还)?(?:留在|待在|呆在|在|出现在)", r"不(?:许|准|让|能)上路",
]
# words that make a verb-less clause a complaint ('texts that are too short') -> remove
NEGATIVE_WORDS = [r"too(?=\s+[a-z])", r"junk", r"garbage", r"bad", r"noisy", r"broken", r"useless", r"low[- ]quality", r"spam\w*",
                  r"gibberish", r"nonsense", r"boilerplate", r"line noise",
                  "太", "过短", "过长", "过多", "过少", "过大", "过小", "过高", "过低", "垃圾", "无用", "低质", r"噪[声音](?!的?(?:幅度|强度|振幅|电平|大小|音量))",
                  "乱码", "厉害", r"awful", r"terrible", r"horrible", r"ugly", r"unwatchable", r"unreadable", r"nasty",
                  "难听", "难看", "头晕", "糟糕"]
# a remark without a verb or a number that condemns what was just described ('Not worth a single training
# step', 'keyword soup is not what we're after', 'it isn't a portrait', '看着头晕') -> remove
CONDEMN_WORDS = NEGATIVE_WORDS + [
    r"not", r"never", r"nobody", r"no one", r"nothing", r"none", r"poor", r"worse", r"worst", r"painful",
    r"(?:is|are|was|were|do|does|did|ca|wo|should|could|would|have|has)n'?t",
    "不是", "不行", "不好", "不能", "不想", "不值", "不配", "不算", "没用", "没法", "没人", "没什么", "难听", "难看", "差劲", "太差",
    "很差", "烂", "糟"]
# 'the rest are fine', '其余的都可以': the complement is kept, so what was described goes
REST_WORDS = [r"the rest", r"everything else", r"anything else", r"all (?:the )?others", r"the others", r"the remainder",
              r"(?:everything|anything|whatever|all|the ones?)\s+(?:that |which )?(?:fits?|pass(?:es)?|qualif(?:y|ies)|clears? it|makes? it)\b",
              "其余", "其他的", "其它的", "剩下的", "别的", "其他都", "其它都", "其他一律", "其他全",
              r"不(?:满足|符合|具备)(?:这个|这些|这一|该|上述|以上|前面的?)?(?:前提|条件|要求|标准)的",
              # ('…之间，范围以外的都过滤掉', '… between 2 and 5, anything outside that range goes')
              r"(?:这个|该|此)?(?:范围|区间)(?:以外|之外|外)(?:的)?", r"(?:超出|超过|不在)(?:这个|该|此)?(?:范围|区间)(?:内|里|之内)?的",
              r"(?:anything|everything|whatever|all|the ones?)\s+(?:else\s+)?(?:that (?:falls?|lies?|is|are)\s+)?outside (?:of )?(?:that|this|the) (?:range|band|window|interval)"]
FINE_WORDS = [r"fine", r"ok(?:ay)?", r"good", r"welcome", r"acceptable", r"(?:can|may) stay", r"stays?", r"are kept",
              "没问题", "可以", "都行", "没事", "照留", "留着", "保留", "留下"]

# characters named in words, for a pattern or separator argument ('break at single newlines', '按空行切分')
NAMED_CHARS: dict[str, str] = {
    r"(?:blank|empty) lines?": "\n\n", r"double (?:newlines?|line ?breaks?)": "\n\n", r"paragraph breaks?": "\n\n",
    r"(?:single )?(?:newlines?|new lines?|line ?breaks?|line feeds?)": "\n", r"tabs?": "\t",
    "空行": "\n\n", "两个换行": "\n\n", "换行符?": "\n", "回车": "\n", "制表符": "\t",
}

# -- clause splitting -------------------------------------------------------------------------------
CLAUSE_SEPARATORS = r"[;；。！!？?\n]|(?<!\d),(?!\d{3})|，|、|\s+then\s+|\s+and then\s+|\s+after that\s+|\s+also\s+|" \
                    r"\s+plus\s+|然后|接着|之后再|再把|并且|并|以及|同时|另外|此外|最后"
AND_WORDS = r"\s+(?:and|&|as well as|or)\s+|和|与|及|跟|或"
BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d+[.)、](?!\d)|[一二三四五六七八九十]+、)\s*", re.M)

# -- numerals ----------------------------------------------------------------------------------------
EN_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                       "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
EN_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
                "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "two thirds": 2 / 3,
                "a tenth": 0.1, "one tenth": 0.1, "a fifth": 0.2, "one fifth": 0.2, "a hundredth": 0.01}
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "俩": 2, "仨": 3, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
ZH_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

# -- languages ---------------------------------------------------------------------------------------
LANGUAGES: dict[str, str] = {
    "english": "en", "chinese": "zh", "mandarin": "zh", "french": "fr", "german": "de", "spanish": "es",
    "japanese": "ja", "korean": "ko", "russian": "ru", "arabic": "ar", "portuguese": "pt", "italian": "it",
    "dutch": "nl", "vietnamese": "vi", "hindi": "hi", "indonesian": "id", "turkish": "tr", "polish": "pl",
    "swedish": "sv", "thai": "th", "ukrainian": "uk", "greek": "el", "hebrew": "he", "czech": "cs",
    "finnish": "fi", "danish": "da", "norwegian": "no", "hungarian": "hu", "romanian": "ro", "persian": "fa",
    "bengali": "bn", "urdu": "ur", "malay": "ms", "catalan": "ca", "basque": "eu", "tamil": "ta",
    "英文": "en", "英语": "en", "英語": "en", "中文": "zh", "汉语": "zh", "漢語": "zh", "普通话": "zh", "法语": "fr",
    "法文": "fr", "德语": "de", "德文": "de", "西班牙语": "es", "西班牙文": "es", "日语": "ja", "日文": "ja",
    "韩语": "ko", "韩文": "ko", "俄语": "ru", "俄文": "ru", "阿拉伯语": "ar", "葡萄牙语": "pt", "意大利语": "it",
    "荷兰语": "nl", "越南语": "vi", "印地语": "hi", "印尼语": "id", "土耳其语": "tr", "波兰语": "pl", "泰语": "th",
    "希腊语": "el", "瑞典语": "sv", "乌克兰语": "uk",
}
# two-letter codes that are also common English words: only read as codes after 'lang'/'language'
AMBIGUOUS_CODES = {"it", "no", "id", "he", "ms", "is", "as", "or", "to", "hi", "be", "my", "so", "do", "am", "an",
                   "us", "in", "on", "at", "of", "me", "we", "la", "de", "el", "ca"}


def alternation(words: list[str]) -> str:
    """One regex alternation, longest first, English words bounded by word edges."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        if re.match(r"[A-Za-z]", w) and re.search(r"[A-Za-z.]$", w) and not w.endswith(")?") and not w.endswith("?"):
            out.append(rf"\b{w}\b" if not w.endswith(".?") else rf"\b{w}")
        elif re.match(r"[A-Za-z]", w) and w.endswith("s?"):
            out.append(rf"\b{w}(?![A-Za-z])")      # 'pics?' is no prefix of 'picking'
        elif re.match(r"[A-Za-z]", w):
            out.append(rf"\b{w}")
        else:
            out.append(w)
    return "|".join(f"(?:{o})" for o in out)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


# Chinese words for the distinctive words of operator names (an operator named for it steps forward when said:
# '视频美学打分…对所有关键帧' is the aesthetics filter, whatever the frame words also resemble)
NAME_WORDS_ZH: dict[str, tuple[str, ...]] = {
    "aesthetics": ("美学", "美感", "颜值"), "watermark": ("水印", "台标", "角标"), "nsfw": ("色情", "涉黄", "不雅", "NSFW"),
    "motion": ("运动分数", "运动幅度", "运动强度"), "captioning": ("配文字描述", "生成描述", "写描述"), "stopwords": ("停用词",),
    "perplexity": ("困惑度",), "flagged": ("敏感词", "脏话", "脏词"), "ocr": ("OCR",),
}

# -- what kind of data a clause talks about (re-ranks operators by their modality) ------------------
MODALITY_WORDS = {
    "image": [r"images?", r"pictures?", r"photos?", r"photograph(?:s|y|ic|ers?)?", r"imagery", r"pics?", r"imgs?", r"thumbnails?", r"jpe?gs?", r"pngs?",
              r"selfies?", r"screenshots?", r"posters?", r"avatars?", r"clip[-\s]?art", r"wallpapers?", r"illustrations?",
              r"drawings?", r"memes?", r"artworks?",
              "图片", "图像", "照片", "相片", "图", "合影", "合照", "自拍", "截图", "海报", "头像", "壁纸", "插画", "插图", "表情包",
              "配图", "漫画"],
    "video": [r"videos?", r"videograph(?:y|ers?)", r"clips?(?![-\s]?art)", r"footage", r"movies?", r"mp4", r"documentar(?:y|ies)", r"films?", r"screen[-\s]?(?:recordings?|captures?|casts?)", r"screencasts?", "录屏", "视频", "影片", "短片", "录像", "纪录片", "长片", "镜头"],
    "audio": [r"audios?", r"sounds?", r"speech", r"(?<!screen )(?<!screen-)(?<!screen)recordings?", r"call recs?", r"wavs?", r"tones?", r"podcasts?", r"songs?", r"music",
              r"mp3s?", r"voice (?:notes?|memos?|messages?|clips?)", r"audiobooks?", r"flacs?", r"wake[-\s]?words?", r"hot[-\s]?words?",
              r"keyword[-\s]spotting", r"utterances?", "音频", "声音", "语音", "录音", "音讯", "播客", "音乐", "歌曲", "音档", "音频文件", "铃声"],
    "text": [r"texts?", r"documents?", r"docs?", r"sentences?", r"paragraphs?", r"words?", r"characters?", r"chars?",
             r"articles?", r"captions?", "文本", "文档", "句子", "段落", "文章", "字符", "字", "词"],
}

# operator-name prefixes that say where or how an op runs: an op named so is only for requests that say it
CONTEXT_PREFIXES = {
    "ray": [r"ray", r"distributed", r"cluster", r"at scale", "分布式", "集群", "Ray"],
}

# 'keep at least 55% of the data', '至少保留60%的数据': a target for the whole run, not an operator's threshold
TARGET_RE = re.compile(r"\b(?:at least|no less than|not less than|a minimum of)\s+\d+(?:\.\d+)?\s*%\s*of\s+"
                       r"(?:the\s+|my\s+|our\s+|all\s+|this\s+)?(?:data\s*set|data|corpus|samples)\b|"
                       r"(?:至少|不少于)(?:保留|留下)?[^，。,;；]{0,4}?\d+(?:\.\d+)?\s*%\s*的?(?:数据|样本|语料)", re.I)

# the user forbids losing any sample ('every clip has to stay', '一本书都不能少'): what is asked is an edit, not a filter
NO_LOSS_WORDS = [
    r"(?:every|each|all)\s+(?:\w+\s+){0,2}(?:has|have|must|needs?|should)\s+(?:to\s+)?(?:stay|remain|be kept|be used|be included)\b",
    r"(?:nothing|none(?: of (?:them|it))?|no (?:[\w-]+\s+){0,2}?[a-z-]{3,})\s+(?:may|can|must|should|is to)\s+(?:ever\s+)?be\s+"
    r"(?:lost|deleted|dropped|removed|discarded|thrown away|left out)",
    r"without\s+(?:deleting|dropping|losing|removing|discarding|throwing away)\s+(?:any|a single|anything|one)",
    r"(?:must|can|may|should)(?:\s*not|n'?t)\s+(?:afford to\s+)?(?:lose|delete|drop|discard|remove|throw away)\s+(?:any(?:thing)?|a single|even one)\b(?!\w*\s+(?:\w+\s+)?(?:for|by|because|over|on the basis|based on|due to)\b)",
    r"(?:don'?t|do not|never)\s+(?:lose|delete|drop|discard|throw away)\s+(?:any(?:thing)?|a single|even one)\b(?!\w*\s+(?:\w+\s+)?(?:for|by|because|over|on the basis|based on|due to)\b)",
    r"[一1](?:条|个|本|段|张|篇|秒|首|集|部|份|帧)?(?:\w{0,3})?都不能(?:删|少|丢|扔|去掉|舍弃|漏)",
    r"(?:不能|不可以|不许|不准|不得|请勿|勿|别|不要)(?:删|丢|扔|舍弃)(?:掉|除)?(?:任何|一|1)", r"不(?:删除|删掉|丢弃|去掉|丢掉)任何",
    r"(?:一点|一个字|一句)都不能丢",
    # 'Every recording stays in the set', 'all of them stay', 'no recording lost', '一条都不删', '全部保留'
    r"(?:every|each|all)\s+(?:of\s+(?:them|the\s+\w+)\s+|\w+\s+){0,2}(?:stays?|remains?|is kept|are kept|survives?)\b(?!\s+(?:under|below|above|over|within|between)\b)",
    r"\b(?:no|not a single|not one)\s+(?:\w+\s+){0,2}?(?:sample|file|clip|video|recording|image|photo|picture|book|row|document|text|"
    r"page|episode|track|song|footage|item|entry|entries|post|comment|answer)s?\s+(?:gets?\s+|is\s+|are\s+)?(?:lost|dropped|deleted|removed|discarded)\b",
    r"(?:nothing|none)\s+(?:gets?|is|are)\s+(?:lost|dropped|deleted|removed|thrown away)\b",
    r"\bnot (?:a single |even )?one(?: of them)?\s+(?:may|can|must|should|is to|gets? to|will)\s+(?:ever\s+)?(?:be\s+)?(?:lost|deleted|dropped|removed|discarded|go)\b",
    # 'the note itself stays', 'the posts themselves are kept', '文章本身保留': the edit is inside the sample
    r"\b(?:the\s+)?[a-z]+\s+(?:itself|themselves)\s+(?:stays?|remains?|is kept|are kept|survives?|(?:is|are)\s+not\s+(?:dropped|deleted|removed))\b",
    r"(?:录音|音频|视频|图片|照片|样本|文本|文档|文件|条目|记录|帖子|文章|笔记|评论)本身(?:要|得|还是|仍然|照样)?(?:保留|留着|留下|不删|不动)",
    r"[一1](?:条|个|本|段|张|篇|首|集|部|份)(?:\w{0,3})?都不(?:删|丢|扔|少|能丢)",
    r"(?:所有|全部|每一?[条个段张篇首集部份])的?(?:录音|音频|视频|影片|图片|照片|样本|数据|文本|文档|文件|片段|条目|记录|帖子|文章|歌曲)"
    r"(?:都|也)(?:不|不能|不要|不会|不得|别)(?:被)?(?:删|丢|扔|少|去掉)",
    r"不(?:能|要|许)?(?:丢|删|少)(?:任何|一|1)(?:条|个|段|张|篇|首)",
    r"(?:所有|全部|每一?[条个段张篇首集部份])的?(?:录音|音频|视频|影片|图片|照片|样本|数据|文本|文档|文件|片段|条目|记录|帖子|文章|歌曲)"
    r"(?:都|也)?(?:得|要|必须|需要)?(?:保留|留着|留下)",
]
NO_LOSS_RE = re.compile(alternation(NO_LOSS_WORDS), re.I)

# verbs that ask for a job to be done without saying which step ('clean up the export', '把数据清洗一下')
VAGUE_JOB_RE = re.compile(r"\b(?:clean|tidy)(?:s|ed|ing)?(?:\s+up)?\b|\b(?:filter|process|prepar|handl)(?:e|s|es|ed|ing)?\s+"
                          r"(?:the|our|this|that|my)\s+(?:data|dataset|data set|corpus|crawl|collection)\b|清洗|整理", re.I)

# set phrases whose numerals count nothing ('模棱两可的评论' holds no 2)
ZH_NUMERAL_IDIOMS = ["成千上万", "成百上千", "千千万万", "模棱两可", "两全其美", "一清二楚", "独一无二", "三心二意", "三言两语", "三番五次", "接二连三", "丢三落四",
                     "一干二净", "十全十美", "一五一十", "半斤八两", "一举两得", "一石二鸟", "三三两两", "两败俱伤", "一分为二",
                     "数一数二", "三天两头", "十有八九", "九牛一毛", "一知半解", "一成不变", "三令五申", "七零八落", "千差万别",
                     "千奇百怪", "五颜六色", "四平八稳", "两极分化", "一刀切", "两回事", "两码事", "不三不四", "万无一失",
                     "两头", "两端", "两者", "二者", "两者之间", "这两个之间", "两极", "两边", "一边倒", "一视同仁"]

# -- programming languages -> the suffixes of their source files ('only Python and Rust source files') --
CODE_LANGUAGES: dict[str, list[str]] = {
    "python": [".py"], "java": [".java"], "rust": [".rs"], "golang": [".go"], "go": [".go"], "c": [".c", ".h"],
    "c++": [".cpp", ".cc", ".h", ".hpp"], "cpp": [".cpp", ".cc", ".h", ".hpp"], "c#": [".cs"], "csharp": [".cs"],
    "javascript": [".js"], "typescript": [".ts"], "ruby": [".rb"], "php": [".php"], "kotlin": [".kt"],
    "swift": [".swift"], "scala": [".scala"], "shell": [".sh"], "bash": [".sh"], "sql": [".sql"], "lua": [".lua"],
    "perl": [".pl"], "haskell": [".hs"], "julia": [".jl"], "dart": [".dart"], "r": [".r"], "matlab": [".m"],
}
# what follows the names: their files or their code, not the language itself
CODE_FILE_WORDS = [r"(?:source\s+)?(?:code\s+)?files?", r"sources?(?:\s+files?)?", r"code", r"scripts?", "源码文件", "源代码文件",
                   "源代码", "源码", "代码文件", "代码", "文件", "脚本"]
