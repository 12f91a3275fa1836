"""Times read back from a SQLite store: the fast ISO parse gives what was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pbench.history.sqlite import TIME_FORMAT, _time_in, _time_out


def test_written_times_read_back_equal_and_in_utc() -> None:
    moments = [
        datetime(2026, 1, 31, 12, 0, tzinfo=UTC),
        datetime(2020, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 7, 1, 8, 30, 0, 1, tzinfo=timezone(timedelta(hours=2))),
    ]
    for moment in moments:
        back = _time_out(_time_in(moment))
        assert back == moment
        assert back.tzinfo == UTC
        assert back == datetime.strptime(_time_in(moment), TIME_FORMAT).replace(tzinfo=UTC)


def test_a_time_without_zone_is_utc() -> None:
    assert _time_out("2026-01-31T12:00:00.000000") == datetime(2026, 1, 31, 12, tzinfo=UTC)
