"""The `juicebox` command line (typer + rich).

Heavy packages (torch, ray, chromadb, transformers, open_clip, pandas) are imported inside the commands
that need them, so `juicebox --help` answers at once. Bad input exits with code 2 and a one-paragraph
error (no traceback unless --debug).
"""
from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable

import typer

app = typer.Typer(
    name="juicebox",
    help="Juicebox: plan, run and refine Data-Juicer-compatible data recipes, with a sandbox lab.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
ops_app = typer.Typer(help="Browse the operator registry.", no_args_is_help=True)
app.add_typer(ops_app, name="ops")

_STATE = {"debug": False}


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors.")) -> None:
    _STATE["debug"] = debug
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad-input errors (ValueError subclasses of ours, missing files) into exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sandbox_engine.errors import JuiceboxError

        try:
            return fn(*args, **kwargs)
        except (JuiceboxError, FileNotFoundError) as err:
            if _STATE["debug"]:
                raise
            from rich.console import Console

            Console(stderr=True).print(f"[bold red]error:[/] {err}", markup=True, highlight=False,
                                       soft_wrap=True)
            sys.exit(2)

    return wrapper


def _register_commands() -> None:
    """Each command module adds its commands to `app` / `ops_app` (they import heavy things lazily)."""
    import importlib

    for mod in ("agent.cli_engine", "agent.cli_analyze", "agent.cli_sandbox", "agent.cli_agent",
                "agent.cli_chat", "agent.cli_web"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as err:  # a command module not written yet
            if err.name != mod:
                raise


_register_commands()

if __name__ == "__main__":  # commands register on agent.cli's app, not __main__'s: use that one
    from agent.cli import app as _app

    _app()
