"""Small shims around third-party packages that misbehave in this environment."""
from sandbox_engine.compat.torchvision_compat import ensure_torchvision

__all__ = ["ensure_torchvision"]
