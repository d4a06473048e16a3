"""The fake government web: declarative worlds served on 127.0.0.1 for tests, demo and benchmarks."""
