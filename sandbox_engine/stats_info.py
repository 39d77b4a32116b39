"""What each stat means numerically: its valid range and whether it is an integer.

k-sigma refinement clips new thresholds to these ranges, and plots use them for their axes.
"""
from __future__ import annotations

import math

UNIT = (0.0, 1.0)
NONNEG = (0.0, math.inf)

# Stats whose values are fractions in [0, 1].
_UNIT_STATS = {
    "alnum_ratio", "alpha_token_ratio", "char_rep_ratio", "word_rep_ratio", "special_char_ratio",
    "stopwords_ratio", "flagged_words_ratio", "lang_score", "image_nsfw_score", "face_ratios",
    "image_watermark_prob", "image_aesthetics_scores", "image_text_matching_score",
    "phrase_grounding_recall", "llm_analysis_score", "video_nsfw_score", "video_watermark_prob",
}
# Cosine similarities in [-1, 1].
_COSINE_STATS = {"image_text_similarity", "text_embd_similarity", "image_pair_similarity",
                 "text_pair_similarity", "video_frames_text_similarity"}
# Counts and sizes: non-negative integers.
_INT_STATS = {"text_len", "num_words", "num_token", "max_line_length", "image_width", "image_height",
              "image_sizes", "face_counts", "num_action", "num_dependency_edges", "video_width",
              "video_height", "audio_sizes"}


def valid_range(stat: str) -> tuple[float, float]:
    if stat in _UNIT_STATS:
        return UNIT
    if stat in _COSINE_STATS:
        return (-1.0, 1.0)
    return NONNEG


def is_integer_stat(stat: str) -> bool:
    return stat in _INT_STATS
