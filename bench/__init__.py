"""Benchmarks: the directory against Datasette and a naive search, on 127.0.0.1.

Tooling, not product (docs/benchmarks.md): it is not installed with the package;
``./scripts/bench*`` run it from the project folder, and the tests import it from there.
"""
