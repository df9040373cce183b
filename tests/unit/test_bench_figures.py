"""A benchmark's figures from few samples: a short soak may see a single heartbeat."""

from __future__ import annotations

from sessions.management.commands.bench_live import _percentiles, _quantile


def test_one_figure_is_every_percentile_of_itself() -> None:
    assert _percentiles([12.0]) == {"p50_ms": "12.0", "p95_ms": "12.0", "p99_ms": "12.0"}
    assert _quantile([12.0], 95) == 12.0


def test_no_figure_is_not_a_figure() -> None:
    assert _percentiles([]) == {"p50_ms": "n/a", "p95_ms": "n/a", "p99_ms": "n/a"}
    assert _quantile([], 95) is None
