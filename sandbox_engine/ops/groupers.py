"""Groupers: gather samples into batched samples and back."""
