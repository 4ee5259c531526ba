"""Shapes of categories and booths."""

from __future__ import annotations

from pydantic import BaseModel


class CategoryOut(BaseModel):
    path: str
    slug: str
    name: str
    names: dict[str, str]
    children: list[CategoryOut]


class CategoryTree(BaseModel):
    items: list[CategoryOut]


class BoothOut(BaseModel):
    slug: str
    country: str | None
    name: str
    names: dict[str, str]


class BoothList(BaseModel):
    items: list[BoothOut]
