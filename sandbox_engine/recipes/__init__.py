"""Reference recipes for common data jobs (see library.py)."""
from sandbox_engine.recipes.library import (ReferenceRecipe, get_reference_recipe, load_reference_recipes,
                                            user_recipe_dirs)

__all__ = ["ReferenceRecipe", "get_reference_recipe", "load_reference_recipes", "user_recipe_dirs"]
