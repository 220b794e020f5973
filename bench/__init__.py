"""Benchmarks at platform scale (issue #12): a world builder (`manage.py bench_world`) and the
side-by-side measurements (`manage.py bench_run`): the sweeps against the naive loop, one
Celery task per request and plain SQL; the list pages' queries, latency and plans.

It imports every domain, so it sits in the top layer beside `config` (.importlinter).
Results: bench/results.json; the write-up: BENCHMARKS.md.
"""
