"""Benchmark tooling: a reproducible, realistic data set at the scale of Kabupaten Mojokerto."""
