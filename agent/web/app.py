"""The FastAPI app of `juicebox ui`: a static page, the turns as server-sent events, the recipe as YAML.

  GET  /                 the page (static HTML, CSS and JS from agent/web/static; nothing from elsewhere)
  GET  /api/session      session id, planner, data path, whether the background loading is done
  GET  /api/opening      the opening events (a resumed session: its pending plan or last result)
  POST /api/send         {"text": ...} -> text/event-stream: one `data: {event}` per event, then `end`
  GET  /api/recipe.yaml  the current recipe, as a download
"""
from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, PlainTextResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from agent.web.chat import Busy, WebChat

STATIC = Path(__file__).with_name("static")
_DONE = object()


class SendArgs(BaseModel):
    text: str = Field(..., min_length=1, max_length=20_000, description="One line typed in the message box.")


def _sse(obj: dict[str, Any], event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return head + "data: " + json.dumps(obj, ensure_ascii=False, default=str) + "\n\n"


def create_app(chat: WebChat, allowed_hosts: list[str] | None = None) -> FastAPI:
    """`allowed_hosts`: the Host headers answered (served on loopback: the loopback names only, so a web
    page elsewhere cannot reach the chat through DNS rebinding; cross-site form posts are refused anyway,
    /api/send reads JSON only)."""
    app = FastAPI(title="juicebox ui", docs_url=None, redoc_url=None, openapi_url=None)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/session")
    def session() -> dict[str, Any]:
        return chat.info()

    @app.get("/api/opening")
    def opening() -> list[dict[str, Any]]:
        try:
            return chat.opening()
        except Exception as err:  # noqa: BLE001 - e.g. the graph failed to load: shown on the page
            return [{"kind": "error", "text": f"{type(err).__name__}: {err}", "payload": {}}]

    @app.post("/api/send")
    async def send(args: SendArgs) -> StreamingResponse:
        if chat.busy:
            raise HTTPException(409, "the previous message is still being answered; wait for it to finish")
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()

        def put(item: Any) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, item)

        def work() -> None:
            try:
                chat.turn(args.text, put)
            except Busy as err:
                put({"kind": "error", "text": str(err), "payload": {}})
            except Exception as err:  # noqa: BLE001 - said on the page; the server stays up
                put({"kind": "error", "text": f"{type(err).__name__}: {err}", "payload": {}})
            finally:
                put(_DONE)

        threading.Thread(target=work, name="juicebox-ui-turn", daemon=True).start()

        async def stream() -> AsyncIterator[str]:
            while True:
                item = await queue.get()
                if item is _DONE:
                    yield _sse({"session": chat.conv.id}, event="end")
                    return
                yield _sse(item)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/api/recipe.yaml")
    def recipe() -> PlainTextResponse:
        text = chat.recipe_yaml()
        if text is None:
            raise HTTPException(404, "No recipe yet: type a goal first.")
        return PlainTextResponse(text, media_type="application/x-yaml", headers={
            "Content-Disposition": f'attachment; filename="juicebox-{chat.conv.id}.yaml"'})

    return app
