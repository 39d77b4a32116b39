"""Filters: compute a stat per sample, then keep the samples whose stat is in range."""
from sandbox_engine.ops.filters import (fields, image_basic, image_models, text_basic,  # noqa: F401
                                        text_models, words)
from sandbox_engine.ops.filters import (audio_basic, image_faces, image_pairs_models, video_basic,  # noqa: F401,E402
                                        video_models)  # media
