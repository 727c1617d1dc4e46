"""Tables drawn without rulings, rebuilt from the positions of their words."""
from __future__ import annotations


def find_aligned(page, items):
    return items
