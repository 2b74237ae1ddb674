"""Benchmarks of lingshou (``make bench``): results in benchmarks/results.json."""
