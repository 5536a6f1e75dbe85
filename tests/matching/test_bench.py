"""The benchmark runs end to end and prints its table."""

import argparse

import pytest

from matching.bench import COLUMNS, main, parse_sizes


def test_tiny_benchmark_prints_a_row_per_run(capsys):
    assert main(["--sizes", "200x10", "--seed", "3"]) == 0
    header, *rows = capsys.readouterr().out.strip().splitlines()
    assert header.split() == [name for name, _, _ in COLUMNS]
    # The matcher without and with balancing, and greedy, at places = entrepreneurs and 25% more.
    assert len(rows) == 6
    table = [dict(zip(header.split(), row.split(), strict=True)) for row in rows]
    assert [(row["places"], row["method"]) for row in table] == [
        ("200", "matcher"),
        ("200", "balanced"),
        ("200", "greedy"),
        ("250", "matcher"),
        ("250", "balanced"),
        ("250", "greedy"),
    ]
    for row in table:
        assert row["size"] == "200x10"
        assert row["matched"] == "200"
        assert row["over_cap"] == "0"
        assert row["ref"] == "exact"
        assert float(row["peak_mb"]) > 0
        # The matcher's reasons are built and timed; the greedy baseline has none.
        if row["method"] == "greedy":
            assert row["reasons_s"] == "-"
        else:
            assert 0 <= float(row["reasons_s"]) <= float(row["time_s"])
    matcher = [float(row["ratio"]) for row in table if row["method"] == "matcher"]
    greedy = [float(row["ratio"]) for row in table if row["method"] == "greedy"]
    assert matcher == [pytest.approx(1.0, abs=1e-5)] * 2
    assert all(g <= 1.0 + 1e-9 for g in greedy)


def test_sizes_are_parsed_and_bad_ones_refused():
    assert parse_sizes("1000x50, 10000X500") == [(1000, 50), (10000, 500)]
    with pytest.raises(argparse.ArgumentTypeError):
        parse_sizes("1000by50")


def test_methods_and_places_choose_the_runs(capsys):
    assert main(["--sizes", "120x6", "--methods", "matcher,greedy", "--places", "1.25"]) == 0
    header, *rows = capsys.readouterr().out.strip().splitlines()
    table = [dict(zip(header.split(), row.split(), strict=True)) for row in rows]
    assert [(row["places"], row["method"]) for row in table] == [
        ("150", "matcher"),
        ("150", "greedy"),
    ]
    with pytest.raises(SystemExit):
        main(["--methods", "matcher,hungarian"])
