"""`juicebox ui`: the chat (agent.conversation) as a web page served by FastAPI on this machine."""
