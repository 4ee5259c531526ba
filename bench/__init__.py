"""Benchmarks that print comparable tables; ``python -m bench`` runs them all."""
