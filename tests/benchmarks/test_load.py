"""Reading wrk's output and rotating URLs; no load is generated here."""

from __future__ import annotations

import pytest

from bench.load import duration_ms, parse_wrk, rotation_script, run_wrk

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8701/api/providers?near=30.2672,-97.7431
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    60.47ms   25.01ms 212.40ms   82.88%
    Req/Sec   133.72     46.09   230.00     63.00%
  Latency Distribution
     50%  849.00us
     75%   72.65ms
     90%   91.83ms
     99%    1.58s
  1335 requests in 5.01s, 16.72MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    266.26
Transfer/sec:      3.34MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors() -> None:
    result = parse_wrk(WRK_OUTPUT, connections=16, duration_s=5, urls=20)
    assert result.requests_per_second == 266.26
    assert result.median_ms == 0.849
    assert result.p99_ms == 1580.0
    assert result.requests == 1335
    assert result.errors == 7
    assert result.as_json()["urls"] == 20


def test_parse_wrk_rejects_output_without_figures() -> None:
    with pytest.raises(ValueError, match="unexpected wrk output"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused", 16, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"), [("836.00us", 0.836), ("1.23ms", 1.23), ("2.01s", 2010.0), ("1m", 60000)]
)
def test_duration_ms(text: str, expected: float) -> None:
    assert duration_ms(text) == expected


def test_rotation_script_lists_every_path_once_and_escapes_quotes() -> None:
    script = rotation_script(["/a?x=1", '/b"c'])
    assert 'local paths = {"/a?x=1", "/b\\"c"}' in script
    assert "i = i % #paths + 1" in script


@pytest.mark.parametrize("url", ["http://10.0.0.1:80", "http://example.org", "https://127.0.0.1:1"])
def test_run_wrk_only_ever_loads_loopback(url: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_wrk(url, ["/"], connections=1, duration_s=1)
