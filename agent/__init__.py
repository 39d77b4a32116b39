"""Juicebox's conversational layer: planners, the graph, CLI, REPL and web UI."""
from agent.planner import tool as _planner_tool  # noqa: F401 - registers the draft_recipe tool
