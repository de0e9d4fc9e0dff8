"""Engine benchmarks (measurements, not tests): see ``bench_analysis.py``."""
