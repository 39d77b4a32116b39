"""What the chat shows, as data: the REPL renders Events with rich; a web UI can render the same."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

EventKind = Literal["text", "plan", "run_result", "table", "histogram", "error", "notice"]


class Event(BaseModel):
    """One thing to show: text, a plan, a run's result, a table, a histogram, an error or a notice."""

    kind: EventKind
    text: str = Field("", description="The event said in plain words (what a plain-text UI shows).")
    payload: dict[str, Any] = Field(default_factory=dict)
