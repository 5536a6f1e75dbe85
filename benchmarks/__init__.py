"""Benchmarks that print figures measured on this machine: ``python -m benchmarks.<name>``."""
