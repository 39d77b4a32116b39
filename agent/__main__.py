"""`python -m agent` runs the juicebox CLI."""
from agent.cli import app

app()
