"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for tests (stdlib only, runs in a thread).

Each POST /v1/chat/completions takes the next reply from the script (the last one repeats when the
script runs out). A reply is a dict with one of:
  {"content": "text"}                              a plain assistant message (streams as SSE if asked)
  {"tool_calls": [{"name": n, "arguments": {...} | "raw json"}]}
  {"malformed": True}                              HTTP 200 with a body that is not JSON
  {"status": 400, "error": "message"}              an error status with an OpenAI-style error body
  {"callable": fn}                                 fn(request_json) -> one of the above
and optionally {"sleep": seconds} before answering (for timeouts). Every request body is recorded.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedOpenAIServer:
    def __init__(self, script: list[dict[str, Any]] | None = None) -> None:
        self.script = list(script or [{"content": "ok"}])
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "ScriptedOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def next_reply(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests.append(body)
            reply = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if "callable" in reply:
            reply = {**reply, **reply["callable"](body)}
        return reply

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, payload: bytes, ctype: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

            def do_GET(self) -> None:
                self._send(200, json.dumps({"object": "list", "data": [{"id": "scripted"}]}).encode())

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size) or b"{}")
                if not self.path.endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                reply = server.next_reply(body)
                if reply.get("sleep"):
                    time.sleep(float(reply["sleep"]))
                if reply.get("malformed"):
                    self._send(200, b"{this is not json")
                    return
                if "status" in reply:
                    err = {"error": {"message": reply.get("error", "error"), "type": "invalid_request_error"}}
                    self._send(int(reply["status"]), json.dumps(err).encode())
                    return
                if body.get("stream"):
                    self._stream(body, reply)
                    return
                self._send(200, json.dumps(_completion(body, reply)).encode())

            def _stream(self, body: dict, reply: dict) -> None:
                text = reply.get("content") or ""
                pieces = [text[i:i + 8] for i in range(0, len(text), 8)] or [""]
                chunks = []
                for piece in pieces:
                    chunks.append({"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 0,
                                   "model": body.get("model", "scripted"),
                                   "choices": [{"index": 0, "delta": {"content": piece},
                                                "finish_reason": None}]})
                chunks.append({"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 0,
                               "model": body.get("model", "scripted"),
                               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                payload = b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks)
                payload += b"data: [DONE]\n\n"
                self._send(200, payload, "text/event-stream")

        return Handler


def _completion(body: dict, reply: dict) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
    finish = "stop"
    if reply.get("tool_calls"):
        calls = []
        for i, call in enumerate(reply["tool_calls"]):
            args = call.get("arguments", {})
            calls.append({"id": f"call_{i}", "type": "function",
                          "function": {"name": call["name"],
                                       "arguments": args if isinstance(args, str) else json.dumps(args)}})
        message["tool_calls"] = calls
        message["content"] = None
        finish = "tool_calls"
    return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": 0,
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
