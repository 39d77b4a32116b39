"""Helpers behind the graph's nodes: goal targets, the engine actions, planners and adapters."""
