"""The LLM backend: the `openai` client against any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama,
llama.cpp). Every failure (timeout, refused connection, error status, malformed reply) becomes one
`LLMError`, so the graph can fall back to the built-in planner with a notice instead of crashing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel, Field

DEFAULT_MODEL = "gpt-4o-mini"


class LLMError(RuntimeError):
    """The endpoint failed; `kind` is one of timeout, connection, status, malformed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


class LLMConfig(BaseModel):
    """Where the endpoint is and how patient to be with it."""

    base_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. http://localhost:8000/v1")
    api_key: str = Field("not-needed", description="API key (local servers accept anything)")
    model: str = Field(DEFAULT_MODEL, description="model name the server knows")
    timeout: float = Field(30.0, gt=0, description="seconds per request")
    max_retries: int = Field(1, ge=0, description="retries on connection errors and 5xx")

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
        for key, env_key in (("timeout", "JUICEBOX_LLM_TIMEOUT"), ("max_retries", "JUICEBOX_LLM_RETRIES")):
            value = env.get(env_key, file_cfg.get(key))
            if value is not None:
                data[key] = value
        return cls(**data)

    def describe(self) -> str:
        return f"LLM planner ({self.model} at {self.base_url or 'api.openai.com'})"


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
            raise LLMError("timeout", f"no answer within {self.config.timeout:g}s ({err})") from err
        except openai.APIConnectionError as err:
            raise LLMError("connection", f"cannot reach {self.config.base_url} ({err})") from err
        except openai.APIStatusError as err:
            raise LLMError("status", f"HTTP {err.status_code}: {err.message}") from err
        except (openai.APIResponseValidationError, json.JSONDecodeError, ValueError) as err:
            raise LLMError("malformed", f"unreadable reply ({err})") from err

    def complete(self, messages: list[dict[str, Any]], tools: list[dict] | None = None,
                 tool_choice: Any = None, response_format: dict | None = None) -> ChatReply:
        kwargs: dict[str, Any] = {"messages": messages}
        if tools:
            kwargs["tools"] = tools
            if tool_choice is not None:
                kwargs["tool_choice"] = tool_choice
        if response_format:
            kwargs["response_format"] = response_format
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
        return ChatReply(content=msg.content, tool_calls=calls)

    def stream(self, messages: list[dict[str, Any]]) -> Iterator[str]:
        """Text pieces of the answer as they arrive."""
        stream = self._call(messages=messages, stream=True)
        try:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except LLMError:
            raise
        except Exception as err:  # noqa: BLE001 - any transport/parse failure mid-stream
            raise LLMError("malformed", f"stream broke off ({err})") from err

    def structured(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any],
                   tools: dict[str, tuple[dict, ToolFn]] | None = None, max_rounds: int = 4) -> dict[str, Any]:
        """An object matching `schema`: through tool calling (the model may first call `tools`, then
        must call `name`), or, for servers without tools, through JSON-schema `response_format`."""
        try:
            return self._tool_loop(messages, name, schema, tools or {}, max_rounds)
        except LLMError as err:
            if err.kind != "status":
                raise
        fmt = {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
        reply = self.complete(messages, response_format=fmt)
        return _parse_json_object(reply.content)

    def _tool_loop(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any],
                   tools: dict[str, tuple[dict, ToolFn]], max_rounds: int) -> dict[str, Any]:
        specs = [_tool_spec(name, "Submit the final answer.", schema)]
        specs += [_tool_spec(n, s.get("description", n), s.get("parameters", s)) for n, (s, _) in tools.items()]
        convo = list(messages)
        for round_ in range(max_rounds):
            last = round_ == max_rounds - 1
            choice = {"type": "function", "function": {"name": name}} if last or not tools else "auto"
            reply = self.complete(convo, tools=specs, tool_choice=choice)
            if not reply.tool_calls:
                if reply.content:  # some servers answer in plain JSON text anyway
                    return _parse_json_object(reply.content)
                raise LLMError("malformed", "reply has neither tool calls nor content")
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


def _parse_json_object(text: str | None) -> dict[str, Any]:
    text = (text or "").strip()
    if text.startswith("```"):
        text = text.strip("`")
        text = text[text.find("{"):] if "{" in text else text
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise LLMError("malformed", f"reply is not JSON: {text[:80]!r}") from err
    if not isinstance(obj, dict):
        raise LLMError("malformed", "reply JSON is not an object")
    return obj
