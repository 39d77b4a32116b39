"""Mappers: edit samples (clean, normalise, split)."""
from sandbox_engine.ops.mappers import (chinese, chunk, clean, latex, normalize,  # noqa: F401
                                        python_ops, remove)
from sandbox_engine.ops.mappers import (audio_edit, image_blur, video_edit, video_models,  # noqa: F401,E402
                                        video_split)  # media
