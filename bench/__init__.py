"""Load and scale benchmarks (see README.md); a package so a Celery worker can import bench.noop."""
