"""Fonts shipped with the media package (Noto Sans and a Noto Sans CJK SC subset, OFL)."""
