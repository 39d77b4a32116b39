"""The real `openai` client against a scripted OpenAI-compatible server on 127.0.0.1."""
from __future__ import annotations

import socket

import pytest

from agent.llm import LLMClient, LLMConfig, LLMError
from tests.agent.scripted_openai_server import ScriptedOpenAIServer

SCHEMA = {"type": "object", "properties": {"process": {"type": "array"}}, "required": ["process"]}


def _client(server: ScriptedOpenAIServer, **kw) -> LLMClient:
    return LLMClient(LLMConfig(base_url=server.base_url, api_key="k", model="scripted", max_retries=0, **kw))


def test_config_from_env_and_file(tmp_path):
    assert LLMConfig.from_env({"JUICEBOX_HOME": str(tmp_path)}) is None
    cfg = LLMConfig.from_env({"OPENAI_BASE_URL": "http://h:1/v1", "JUICEBOX_MODEL": "m",
                              "JUICEBOX_LLM_TIMEOUT": "5", "JUICEBOX_HOME": str(tmp_path)})
    assert (cfg.base_url, cfg.model, cfg.timeout, cfg.api_key) == ("http://h:1/v1", "m", 5.0, "not-needed")
    assert LLMConfig.from_env({"OPENAI_BASE_URL": "http://h:1/v1", "JUICEBOX_PLANNER": "builtin"}) is None
    (tmp_path / "config.yaml").write_text("llm:\n  base_url: http://x:2/v1\n  model: qwen\n")
    cfg = LLMConfig.from_env({"JUICEBOX_HOME": str(tmp_path)})
    assert (cfg.base_url, cfg.model) == ("http://x:2/v1", "qwen")


def test_plain_completion_and_stream():
    with ScriptedOpenAIServer([{"content": "hello there, this streams"}]) as srv:
        client = _client(srv)
        assert client.complete([{"role": "user", "content": "hi"}]).content == "hello there, this streams"
        pieces = list(client.stream([{"role": "user", "content": "hi"}]))
        assert len(pieces) > 1 and "".join(pieces) == "hello there, this streams"
        assert srv.requests[0]["model"] == "scripted"


def test_tool_loop_dispatches_tools_then_submits():
    seen = []
    script = [{"tool_calls": [{"name": "search_operators", "arguments": {"query": "dedupe"}}]},
              {"tool_calls": [{"name": "submit", "arguments": {"process": [{"document_deduplicator": {}}]}}]}]
    tools = {"search_operators": ({"description": "find ops", "parameters": {"type": "object"}},
                                  lambda a: seen.append(a) or {"ops": ["document_deduplicator"]})}
    with ScriptedOpenAIServer(script) as srv:
        out = _client(srv).structured([{"role": "user", "content": "dedupe"}], "submit", SCHEMA, tools)
        assert out == {"process": [{"document_deduplicator": {}}]}
        assert seen == [{"query": "dedupe"}]
        # the tool result went back to the model as a tool message
        tool_msgs = [m for m in srv.requests[1]["messages"] if m["role"] == "tool"]
        assert "document_deduplicator" in tool_msgs[0]["content"]
        assert {t["function"]["name"] for t in srv.requests[0]["tools"]} == {"submit", "search_operators"}


def test_output_format_steps_down_when_rejected_and_is_remembered():
    script = [{"status": 400, "error": "response_format json_schema is not supported"},
              {"content": '```json\n{"process": [{"text_length_filter": {"min_len": 5}}]}\n```'},
              {"content": '{"process": [{"document_deduplicator": {}}]}'}]
    with ScriptedOpenAIServer(script) as srv:
        client = _client(srv)
        out = client.structured([{"role": "user", "content": "x"}], "submit", SCHEMA)
        assert out["process"] == [{"text_length_filter": {"min_len": 5}}]
        assert srv.requests[0]["response_format"]["type"] == "json_schema"
        assert srv.requests[1]["response_format"] == {"type": "json_object"}
        assert "JSON schema" in srv.requests[1]["messages"][-1]["content"]  # the schema went into the prompt
        # a new client for the same endpoint starts with what worked
        again = _client(srv).structured([{"role": "user", "content": "y"}], "submit", SCHEMA)
        assert again["process"] == [{"document_deduplicator": {}}]
        assert srv.requests[2]["response_format"] == {"type": "json_object"} and len(srv.requests) == 3


def test_one_schema_rejected_is_not_remembered_for_the_endpoint():
    """A server that cannot compile one schema into a grammar still gets json_schema next time."""
    script = [{"status": 400, "error": "failed to convert the JSON schema to a grammar"},
              {"content": '{"process": [{"text_length_filter": {"min_len": 5}}]}'},
              {"content": '{"process": [{"document_deduplicator": {}}]}'}]
    with ScriptedOpenAIServer(script) as srv:
        assert _client(srv).structured([{"role": "user", "content": "x"}], "submit", SCHEMA)["process"]
        assert srv.requests[1]["response_format"] == {"type": "json_object"}
        _client(srv).structured([{"role": "user", "content": "y"}], "submit", SCHEMA)
        assert srv.requests[2]["response_format"]["type"] == "json_schema"


def test_tools_rejected_fall_back_to_constrained_output():
    script = [{"status": 400, "error": "tools are not supported"},
              {"content": '{"process": [{"text_length_filter": {"min_len": 5}}]}'}]
    tools = {"search_operators": ({"description": "find ops", "parameters": {"type": "object"}}, lambda a: [])}
    with ScriptedOpenAIServer(script) as srv:
        out = _client(srv).structured([{"role": "user", "content": "x"}], "submit", SCHEMA, tools)
        assert out["process"] == [{"text_length_filter": {"min_len": 5}}]
        assert "tools" in srv.requests[0] and "tools" not in srv.requests[1]
        assert srv.requests[1]["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("reply", [{"malformed": True},
                                   {"tool_calls": [{"name": "submit", "arguments": "{not json"}]},
                                   {"content": "sorry, I cannot help"}])
def test_malformed_replies_raise_llm_error(reply):
    with ScriptedOpenAIServer([reply]) as srv:
        with pytest.raises(LLMError) as info:
            _client(srv).structured([{"role": "user", "content": "x"}], "submit", SCHEMA)
        assert info.value.kind == "malformed"


def test_timeout_raises_llm_error():
    with ScriptedOpenAIServer([{"sleep": 2, "content": "late"}]) as srv:
        with pytest.raises(LLMError) as info:
            _client(srv, timeout=0.3).complete([{"role": "user", "content": "x"}])
        assert info.value.kind == "timeout"


def test_refused_connection_raises_llm_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    client = LLMClient(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", max_retries=0, timeout=2))
    with pytest.raises(LLMError) as info:
        client.complete([{"role": "user", "content": "x"}])
    assert info.value.kind == "connection"
