"""Performance figures, each a ratio against a baseline measured in the same run
(``make bench``; ``python -m benchmarks.run --smoke`` for tiny sizes)."""
