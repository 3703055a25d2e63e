"""The request class of the app: body decoding that answers a clean 400 for every malformed body.

msgspec (and so Litestar's ``JSONBody``) decodes with a recursion limit; a body nested deeper —
``[[[[…]]]]`` 100,000 levels, in JSON or msgpack — raises ``RecursionError``, which would otherwise
end as a 500. Here it becomes ``request.malformed`` naming the problem, the same as the sync
endpoints' own decoder (``sync.wire.decode``)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from sync.wire import too_deep


class FangtanRequest(Request):
    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise too_deep("json") from None

    async def msgpack(self) -> Any:
        try:
            return await super().msgpack()
        except RecursionError:
            raise too_deep("msgpack") from None
