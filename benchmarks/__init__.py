"""Benchmarks that print figures (rows, SQL queries, median and p95 wall time): `make bench`."""
