"""Recipe refinement strategies (k-sigma here; HPO, clustering and raters live in the sandbox lab)."""
from sandbox_engine.refine.ksigma import refine_from_analysis, refine_ksigma

__all__ = ["refine_ksigma", "refine_from_analysis"]
