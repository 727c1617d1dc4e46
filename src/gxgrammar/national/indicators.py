"""Indicators: the rates evaluators and researchers compute from a report's tables.

Each indicator is defined once here, with its formula and description; the JSON
(`indicators`), the store and the exports read it.
"""
from __future__ import annotations


def indicators(report):
    """{name: {"value": float or None, "reason": why None, or None}} for a report."""
    return {}
