"""A TCP proxy that a test can cut and restore: stands for a database server restart or failover
without restarting the shared PostgreSQL of the machine.

Every socket lives in one asyncio loop on one thread. An earlier version used a thread per
direction and closed sockets from the test's thread; a pipe thread could then read from a file
descriptor number that had just been closed and reused by a new connection, swallow its bytes,
and leave a client waiting forever for an answer (about one run in six). Here nothing touches a
socket outside the loop, so a cut is exact."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; stop() drops every connection and refuses new ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.accepted = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def start(self) -> TcpProxy:
        self._call(self._start())
        return self

    def stop(self) -> None:
        """The server goes away: the port refuses connections, open ones are reset."""
        self._call(self._stop())

    def close(self) -> None:
        """Stop, then end the loop cleanly: a transport or loop left for the garbage collector
        warns from a finaliser, which can land in the middle of an unrelated compile()."""
        self.stop()
        self._call(asyncio.sleep(0.05))  # let the aborted transports finish closing
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True, backlog=64
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()  # stop listening first: new connections are refused from now on
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        if server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), timeout=2)

    async def _handle(self, client_reader, client_writer) -> None:
        server = self._server
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(
                asyncio.open_connection(*self.target), timeout=5
            )
        except (OSError, TimeoutError):
            client_writer.transport.abort()
            return
        if self._server is not server or server is None:  # cut while we were connecting
            client_writer.transport.abort()
            upstream_writer.transport.abort()
            return
        self.accepted += 1
        self._writers.update((client_writer, upstream_writer))
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer, client_writer),
            self._pipe(upstream_reader, client_writer, upstream_writer),
        )

    async def _pipe(self, reader, writer, other) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (OSError, ConnectionError):
            pass
        finally:
            for end in (writer, other):
                end.transport.abort()
                self._writers.discard(end)
