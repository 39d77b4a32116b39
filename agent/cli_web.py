"""`juicebox ui`: the chat as a web page (registered on import by agent.cli)."""
from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from agent.cli import app, friendly_errors

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command("ui")
@friendly_errors
def ui(data: Optional[Path] = typer.Option(None, "--data", help="Data set (JSONL/JSON/parquet) to work on."),
       port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to serve on (0: any free port)."),
       host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on. Anything but this machine's "
                                "loopback lets others on the network use the chat (runs, files): only when asked."),
       resume: Optional[str] = typer.Option(None, "--resume", metavar="NAME", help="Continue a saved session "
                                            "(a name from /sessions, or `last`); without it a new session starts."),
       session: Optional[str] = typer.Option(None, "--session", metavar="NAME", help="Name of the new session."),
       work_dir: Optional[Path] = typer.Option(None, "--work-dir", help="Where runs write their outputs "
                                               "(default: ./juicebox_runs/<session>/).")) -> None:
    """The chat in a browser: plans as tables to Approve or Reject, runs with charts, questions answered,
    the recipe as YAML to download. The same sessions as `juicebox chat` (resume one in either)."""
    from agent.conversation import ChatError, Conversation
    from sandbox_engine.errors import JuiceboxError

    if data is not None and not data.exists():
        raise FileNotFoundError(f"--data: no such file: {data}")
    if resume is not None and session is not None:
        raise JuiceboxError("--resume NAME continues a saved session and --session NAME names a new one: give one")
    sock = _bind(host, port)  # before the session: a busy port must not leave an empty session behind
    try:
        if resume is not None:
            conv = Conversation(None if resume == "last" else resume, data_path=data, work_dir=work_dir, resume=True)
        else:
            conv = Conversation(session, data_path=data, work_dir=work_dir)
    except ChatError as err:
        sock.close()
        raise JuiceboxError(str(err)) from None
    if host not in LOCAL_HOSTS:
        typer.secho(f"warning: serving on {host}: anyone who can reach this machine on port {sock.getsockname()[1]} "
                    "can use this chat, run recipes and read the files it names. Use --host 127.0.0.1 unless "
                    "that is what you want.", fg="yellow", err=True)
    serve(conv, sock)


def _bind(host: str, port: int) -> socket.socket:
    from sandbox_engine.errors import JuiceboxError

    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
    except OSError as err:
        raise JuiceboxError(f"--host {host} --port {port}: cannot serve there ({err.strerror or err}); pick another "
                            "port with --port N (0 takes any free one)") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def serve(conv: Any, sock: socket.socket) -> None:
    """Serve the page for `conv` on a bound socket; says `ready: URL` once it accepts connections."""
    import uvicorn

    from agent.web.app import create_app
    from agent.web.chat import WebChat

    url = url_of(sock)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                print(f"Juicebox chat (session {conv.id}; planner: {conv.planner_name}); outputs go to "
                      f"{conv.work_dir}", flush=True)
                print(f"ready: {url}", flush=True)

    local = ["127.0.0.1", "localhost", "[::1]", "::1"]
    allowed = local if sock.getsockname()[0] in LOCAL_HOSTS else ["*"]
    config = uvicorn.Config(create_app(WebChat(conv), allowed), log_level="warning", access_log=False,
                            lifespan="off", timeout_graceful_shutdown=2)
    Server(config).run(sockets=[sock])
    print(f"Bye (session saved; `juicebox chat --resume {conv.id}` or `juicebox ui --resume {conv.id}` "
          "continues it).", file=sys.stderr, flush=True)
