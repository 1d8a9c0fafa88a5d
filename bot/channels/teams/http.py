"""One aiohttp session for the channel's calls to Microsoft, with timeouts on every call."""
from __future__ import annotations

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)


class HttpClient:
    """Created on first use, inside the server's event loop; closed when the server stops."""

    def __init__(self, timeout: aiohttp.ClientTimeout = TIMEOUT) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, raise_for_status=False)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
