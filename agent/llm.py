"""The LLM backend: the `openai` client against any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama,
llama.cpp's server). Every failure (timeout, refused connection, error status, malformed reply) becomes
one `LLMError`, so the graph can fall back to the built-in planner with a notice instead of crashing.

Small local models rarely use the tool-calling protocol: they write a tool call as JSON in `content`
(fenced, bare, or inside `<tool_call>` tags) and ignore `tool_choice`. Both forms are read here.
Structured answers ask for grammar-constrained output (`response_format` json_schema) first and step
down to json_object, then plain text, when a server rejects it; what worked is remembered per endpoint.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

from pydantic import BaseModel, Field

DEFAULT_MODEL = "gpt-4o-mini"
TRANSPORT = ("timeout", "connection")  # the endpoint itself is gone: drop it for the session
FORMATS = ("json_schema", "json_object", "text")
_FORMAT_OF: dict[str, int] = {}  # endpoint -> index in FORMATS of the first format it accepted


class LLMError(RuntimeError):
    """The endpoint failed; `kind` is one of timeout, connection, status, malformed, invalid."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind

    @property
    def transport(self) -> bool:
        """True when the endpoint could not be reached or did not answer in time."""
        return self.kind in TRANSPORT


class LLMConfig(BaseModel):
    """Where the endpoint is and how patient to be with it."""

    base_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. http://localhost:8000/v1")
    api_key: str = Field("not-needed", description="API key (local servers accept anything)")
    model: str = Field(DEFAULT_MODEL, description="model name the server knows")
    timeout: float = Field(60.0, gt=0, description="seconds per request")
    max_retries: int = Field(1, ge=0, description="retries on connection errors and 5xx")
    max_tokens: int = Field(900, ge=16, description="most tokens per structured answer (small models ramble)")
    max_steps: int = Field(8, ge=1, le=20, description="most recipe steps the planner may write")
    output_format: Literal["auto", "json_schema", "json_object", "text"] = Field(
        "auto", description="structured output: auto steps down from json_schema when the server rejects it")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "LLMConfig | None":
        """The configured endpoint, or None (then the built-in planner is used). Env wins over
        `llm:` in $JUICEBOX_HOME/config.yaml; JUICEBOX_PLANNER=builtin forces the built-in planner."""
        env = dict(os.environ if env is None else env)
        if env.get("JUICEBOX_PLANNER", "").lower() == "builtin":
            return None
        file_cfg = _file_config(env)
        base_url = env.get("OPENAI_BASE_URL") or file_cfg.get("base_url")
        api_key = env.get("OPENAI_API_KEY") or file_cfg.get("api_key")
        if not base_url and not api_key:
            return None
        data: dict[str, Any] = {"base_url": base_url, "api_key": api_key or "not-needed",
                                "model": env.get("JUICEBOX_MODEL") or env.get("OPENAI_MODEL")
                                or file_cfg.get("model") or DEFAULT_MODEL}
        for key, env_key in (("timeout", "JUICEBOX_LLM_TIMEOUT"), ("max_retries", "JUICEBOX_LLM_RETRIES"),
                             ("max_tokens", "JUICEBOX_LLM_MAX_TOKENS"), ("max_steps", "JUICEBOX_LLM_MAX_STEPS"),
                             ("output_format", "JUICEBOX_LLM_FORMAT")):
            value = env.get(env_key, file_cfg.get(key))
            if value is not None:
                data[key] = value
        return cls(**data)

    def describe(self) -> str:
        return f"LLM planner ({self.model} at {self.base_url or 'api.openai.com'})"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url or 'openai'}|{self.model}"


def juicebox_home(env: dict[str, str] | None = None) -> Path:
    """The user's data dir: $JUICEBOX_HOME or ~/.juicebox."""
    env = os.environ if env is None else env
    return Path(env.get("JUICEBOX_HOME") or Path.home() / ".juicebox")


def _file_config(env: dict[str, str]) -> dict[str, Any]:
    path = juicebox_home(env) / "config.yaml"
    if not path.is_file():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text()) or {}
    llm = data.get("llm") if isinstance(data, dict) else None
    return llm if isinstance(llm, dict) else {}


class ToolCall(BaseModel):
    id: str
    name: str
    arguments: dict[str, Any]


class ChatReply(BaseModel):
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)


ToolFn = Callable[[dict[str, Any]], Any]


class LLMClient:
    """A thin, typed wrapper over `openai.OpenAI` with explicit timeouts and retries."""

    def __init__(self, config: LLMConfig) -> None:
        import openai

        self.config = config
        self._client = openai.OpenAI(base_url=config.base_url, api_key=config.api_key,
                                     timeout=config.timeout, max_retries=config.max_retries)

    def _call(self, **kwargs: Any) -> Any:
        import openai

        try:
            return self._client.chat.completions.create(model=self.config.model, **kwargs)
        except openai.APITimeoutError as err:
            raise LLMError("timeout", f"no answer from {self.config.base_url} within "
                                      f"{self.config.timeout:g}s") from err
        except openai.APIConnectionError as err:
            raise LLMError("connection", f"cannot reach {self.config.base_url} ({err})") from err
        except openai.APIStatusError as err:
            raise LLMError("status", f"HTTP {err.status_code}: {err.message}") from err
        except (openai.APIResponseValidationError, json.JSONDecodeError, ValueError) as err:
            raise LLMError("malformed", f"unreadable reply ({err})") from err

    def complete(self, messages: list[dict[str, Any]], tools: list[dict] | None = None,
                 tool_choice: Any = None, response_format: dict | None = None,
                 max_tokens: int | None = None, temperature: float | None = None) -> ChatReply:
        kwargs: dict[str, Any] = {"messages": messages}
        if tools:
            kwargs["tools"] = tools
            if tool_choice is not None:
                kwargs["tool_choice"] = tool_choice
        if response_format:
            kwargs["response_format"] = response_format
        if max_tokens:
            kwargs["max_tokens"] = max_tokens
        if temperature is not None:
            kwargs["temperature"] = temperature
        resp = self._call(**kwargs)
        try:
            msg = resp.choices[0].message
        except (AttributeError, IndexError, TypeError) as err:
            raise LLMError("malformed", f"reply has no message ({err})") from err
        calls = []
        for call in msg.tool_calls or []:
            try:
                args = json.loads(call.function.arguments or "{}")
            except json.JSONDecodeError as err:
                raise LLMError("malformed", f"tool call {call.function.name!r} arguments are not JSON") from err
            if not isinstance(args, dict):
                raise LLMError("malformed", f"tool call {call.function.name!r} arguments are not an object")
            calls.append(ToolCall(id=call.id or f"call_{len(calls)}", name=call.function.name, arguments=args))
        if not calls and tools:  # a small model wrote its tool call as text
            names = {t.get("function", {}).get("name") for t in tools}
            calls = [c for c in tool_calls_in_text(msg.content) if c.name in names]
        return ChatReply(content=msg.content, tool_calls=calls)

    def stream(self, messages: list[dict[str, Any]], max_tokens: int | None = None) -> Iterator[str]:
        """Text pieces of the answer as they arrive."""
        kwargs: dict[str, Any] = {"max_tokens": max_tokens} if max_tokens else {}
        stream = self._call(messages=messages, stream=True, **kwargs)
        try:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except LLMError:
            raise
        except Exception as err:  # noqa: BLE001 - any transport/parse failure mid-stream
            raise LLMError("malformed", f"stream broke off ({err})") from err

    def structured(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any],
                   tools: dict[str, tuple[dict, ToolFn]] | None = None, max_rounds: int = 4,
                   max_tokens: int | None = None) -> dict[str, Any]:
        """An object matching `schema`. With `tools`: through tool calling (the model may first call
        `tools`, then calls `name`; servers without tools get the constrained-output path). Without:
        through constrained output (json_schema, else json_object, else plain text)."""
        if tools:
            try:
                return self._tool_loop(messages, name, schema, tools, max_rounds)
            except LLMError as err:
                if not _rejected(err):
                    raise
        return self.formatted(messages, name, schema, max_tokens)

    def _first_format(self) -> int:
        """Where to start in FORMATS: the configured format, else what this endpoint accepted last time."""
        if self.config.output_format != "auto":
            return FORMATS.index(self.config.output_format)
        return _FORMAT_OF.get(self.config.endpoint, 0)

    def formatted(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any],
                  max_tokens: int | None = None) -> dict[str, Any]:
        """One JSON object for `schema`, grammar-constrained where the server supports it."""
        key = self.config.endpoint
        unsupported = False
        for i in range(self._first_format(), len(FORMATS)):
            fmt = FORMATS[i]
            try:
                reply = self.complete(_with_schema_hint(messages, schema) if fmt != "json_schema" else messages,
                                      response_format=_response_format(fmt, name, schema),
                                      max_tokens=max_tokens or self.config.max_tokens, temperature=0)
            except LLMError as err:
                if _rejected(err) and i + 1 < len(FORMATS):
                    # the server does not take this format (remembered), or not this one schema (not)
                    unsupported = unsupported or bool(re.search(r"not supported|unsupported|unknown", str(err), re.I))
                    continue
                raise
            if i == 0 or unsupported:
                _FORMAT_OF[key] = i
            for call in reply.tool_calls:
                if call.name == name:
                    return call.arguments
            return read_object(reply.content, name, schema.get("required") or ())
        raise LLMError("status", "the server rejected every output format")  # pragma: no cover - loop returns

    def _tool_loop(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any],
                   tools: dict[str, tuple[dict, ToolFn]], max_rounds: int) -> dict[str, Any]:
        specs = [_tool_spec(name, "Submit the final answer.", schema)]
        specs += [_tool_spec(n, s.get("description", n), s.get("parameters", s)) for n, (s, _) in tools.items()]
        convo = list(messages)
        for round_ in range(max_rounds):
            last = round_ == max_rounds - 1
            choice = {"type": "function", "function": {"name": name}} if last else "auto"
            reply = self.complete(convo, tools=specs, tool_choice=choice, max_tokens=self.config.max_tokens)
            if not reply.tool_calls:
                return read_object(reply.content, name)  # the server ignored tool_choice: plain JSON
            for call in reply.tool_calls:
                if call.name == name:
                    return call.arguments
            convo.append({"role": "assistant", "content": reply.content or "",
                          "tool_calls": [{"id": c.id, "type": "function",
                                          "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
                                         for c in reply.tool_calls]})
            for call in reply.tool_calls:
                convo.append({"role": "tool", "tool_call_id": call.id,
                              "content": _run_tool(tools, call)})
        raise LLMError("malformed", f"the model never called {name!r} in {max_rounds} rounds")


def _rejected(err: LLMError) -> bool:
    """The server refused the request's shape (tools, response_format), not the endpoint itself."""
    if err.kind != "status":
        return False
    m = re.search(r"HTTP (\d+)", str(err))
    code = int(m.group(1)) if m else 0
    if code in (400, 404, 405, 415, 422, 501):
        return True
    return code == 500 and bool(re.search(r"grammar|schema|response_format|json|tool", str(err), re.I))


def _response_format(fmt: str, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if fmt == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    if fmt == "json_object":
        return {"type": "json_object"}
    return None


def _with_schema_hint(messages: list[dict[str, Any]], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Without a grammar the model must be told the shape: the schema, shortened to its top-level
    properties and their types when the whole would crowd a small model's context."""
    text = json.dumps(schema, separators=(",", ":"))
    if len(text) > 600:
        props = schema.get("properties") or {}
        text = json.dumps({"type": "object", "properties": {k: {"type": v.get("type", "any")} for k, v in props.items()},
                           "required": schema.get("required", [])}, separators=(",", ":"))
    hint = "\n\nReply with one JSON object and nothing else. It must match this JSON schema: " + text
    out = [dict(m) for m in messages]
    last = next(m for m in reversed(out) if m.get("role") == "user")
    last["content"] = str(last.get("content") or "") + hint
    return out


def _tool_spec(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


def _run_tool(tools: dict[str, tuple[dict, ToolFn]], call: ToolCall) -> str:
    if call.name not in tools:
        return json.dumps({"error": f"unknown tool {call.name!r}; available: {sorted(tools)}"})
    try:
        result = tools[call.name][1](call.arguments)
    except Exception as err:  # noqa: BLE001 - the model sees the error and may correct itself
        return json.dumps({"error": f"{type(err).__name__}: {err}"})
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    return json.dumps(result, default=str)[:20000]


_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)
_FENCED = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)


def json_values(text: str | None) -> list[Any]:
    """Every JSON value a reply holds: inside <tool_call> tags, ```json fences, or bare objects/arrays
    in the text (the first complete one from each opening brace that parses)."""
    text = (text or "").strip()
    if not text:
        return []
    pieces = _TAGGED.findall(text) or _FENCED.findall(text) or [text]
    out: list[Any] = []
    dec = json.JSONDecoder()
    for piece in pieces:
        piece = piece.strip()
        try:
            out.append(json.loads(piece))
            continue
        except json.JSONDecodeError:
            pass
        i = 0
        while i < len(piece):
            j = min((k for k in (piece.find("{", i), piece.find("[", i)) if k >= 0), default=-1)
            if j < 0:
                break
            try:
                value, end = dec.raw_decode(piece, j)
            except json.JSONDecodeError:
                i = j + 1
                continue
            out.append(value)
            i = end
    return out


def tool_calls_in_text(text: str | None) -> list[ToolCall]:
    """Tool calls a model wrote as JSON text: {"name": n, "arguments": {...}} (or "parameters"), an
    OpenAI-shaped {"function": {...}}, or a list / {"tool_calls": [...]} of those."""
    calls: list[ToolCall] = []
    stack = list(json_values(text))
    while stack:
        value = stack.pop(0)
        if isinstance(value, list):
            stack[:0] = value
            continue
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("tool_calls"), list):
            stack[:0] = value["tool_calls"]
            continue
        fn = value.get("function") if isinstance(value.get("function"), dict) else value
        name = fn.get("name")
        args = fn.get("arguments", fn.get("parameters"))
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except json.JSONDecodeError:
                continue
        if isinstance(name, str) and isinstance(args, dict):
            calls.append(ToolCall(id=f"call_{len(calls)}", name=name, arguments=args))
    return calls


def read_object(text: str | None, name: str | None = None, required: list[str] | tuple = ()) -> dict[str, Any]:
    """The JSON object a reply carries: a tool call to `name` written as text, else the first object
    holding the `required` keys (all, else some), so an inner object of a cut-off reply is not taken
    for the answer."""
    for call in tool_calls_in_text(text):
        if name is None or call.name == name:
            return call.arguments
    objects = [v for v in json_values(text) if isinstance(v, dict)]
    for value in objects:
        if all(k in value for k in required):
            return value
    for value in objects:  # an answer without some helper key (e.g. no `needs`) still counts
        if any(k in value for k in required):
            return value
    what = f"a JSON object with {', '.join(required)}" if required else "a JSON object"
    raise LLMError("malformed", f"reply is not {what} (cut off?): {(text or '').strip()[:120]!r}")

