"""Selectors: choose samples over the whole data set by a field."""
