"""Benchmarks: commands that measure and print figures (not timed tests)."""
