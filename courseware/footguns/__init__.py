"""Footgun engine: parsers, one model, rules, findings. Plain Python, no Django."""

from __future__ import annotations
