"""An open-loop HTTP/1.1 load generator on asyncio, small enough not to starve the server.

Requests leave on a fixed schedule (request ``i`` at ``start + i / rate``) whether or not
earlier ones were answered, so a slow server meets the same offered load a crowd of
browsers would give it; each request's latency runs from its scheduled time, so time
spent waiting behind a busy client counts too (no coordinated omission).

Each request opens its own connection and sends ``Connection: close``: gunicorn's sync
workers close after every response anyway. The client speaks through asyncio protocols,
not streams, which halves its CPU per request.
"""

import asyncio
import dataclasses
import time
from collections.abc import Callable


@dataclasses.dataclass
class Outcome:
    """One request: its status (0 when none came), latency in seconds, and when it ended."""

    status: int
    latency: float
    ended: float
    error: str = ""


@dataclasses.dataclass
class Round:
    """The requests of one target at one offered rate."""

    offered: float
    duration: float
    outcomes: list[Outcome]
    client_cpu_s: float
    server_cpu_s: float = float("nan")

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if 200 <= o.status < 400]

    @property
    def errors(self) -> int:
        return len(self.outcomes) - len(self.ok)

    @property
    def achieved(self) -> float:
        """Successful responses per second, from the first request's scheduled time to
        the end of the window or of the last successful response, whichever is later:
        a server that falls behind answers its backlog after the window, at the rate it
        can."""
        ok = self.ok
        return len(ok) / max([self.duration, *(o.ended for o in ok)])

    @property
    def server_cpu_ms(self) -> float:
        """The server's processor time per successful request, in milliseconds: what a
        request costs, less swayed than latency by other work on the machine."""
        return 1000 * self.server_cpu_s / len(self.ok) if self.ok else float("nan")

    def percentile(self, share: float) -> float:
        """Latency in milliseconds below which ``share`` of the successful requests fell."""
        latencies = sorted(o.latency for o in self.ok)
        if not latencies:
            return float("nan")
        return 1000 * latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    def error_kinds(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for o in self.outcomes:
            if not 200 <= o.status < 400:
                kind = o.error or f"HTTP {o.status}"
                kinds[kind] = kinds.get(kind, 0) + 1
        return kinds


def request_bytes(method: str, path: str, host: str, headers=(), body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Exchange(asyncio.Protocol):
    """One request on one connection; the response is read until the server closes."""

    def __init__(self, payload: bytes, done: asyncio.Future):
        self.payload = payload
        self.done = done
        self.chunks: list[bytes] = []

    def connection_made(self, transport):
        transport.write(self.payload)

    def data_received(self, data):
        self.chunks.append(data)

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result((b"".join(self.chunks), exc))


def _status(response: bytes) -> tuple[int, str]:
    head, _sep, body = response.partition(b"\r\n\r\n")
    if not _sep:
        return 0, "incomplete response"
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0, "bad status line"
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and len(body) < int(value):
            return 0, "truncated body"
    return status, ""


async def _one(loop, host, port, payload, scheduled, start, timeout, outcomes):
    done = loop.create_future()
    transport = None
    try:
        async with asyncio.timeout(timeout):
            transport, _protocol = await loop.create_connection(
                lambda: _Exchange(payload, done), host, port
            )
            response, exc = await done
        status, error = _status(response) if exc is None else (0, type(exc).__name__)
    except TimeoutError:
        status, error = 0, "timeout"
    except OSError as exc:
        status, error = 0, type(exc).__name__
    finally:
        if transport is not None:
            transport.close()
    now = time.perf_counter()
    outcomes.append(Outcome(status, now - scheduled, now - start, error))


async def _drive(host, port, rate, duration, make_request, timeout) -> list[Outcome]:
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    tasks = set()
    total = int(rate * duration)
    start = time.perf_counter()
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = loop.create_task(
            _one(loop, host, port, make_request(i, scheduled), scheduled, start, timeout, outcomes)
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks)
    return outcomes


def run_round(
    host: str,
    port: int,
    rate: float,
    duration: float,
    make_request: Callable[[int, float], bytes],
    timeout: float,
) -> Round:
    """Offer ``rate`` requests a second for ``duration`` seconds; ``make_request(i, t)``
    gives the bytes of request ``i``, scheduled at ``t`` (``time.perf_counter``). Returns
    when every request has ended or timed out."""
    cpu = time.process_time()
    outcomes = asyncio.run(_drive(host, port, rate, duration, make_request, timeout))
    return Round(rate, duration, outcomes, time.process_time() - cpu)
