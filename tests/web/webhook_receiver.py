"""A real HTTP receiver for the webhook tests: the Python example of docs/webhooks.md, run as
it is printed there, on 127.0.0.1 in a thread, with a script of answers to give."""

from __future__ import annotations

import json
import re
import threading
from http.server import HTTPServer
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def docs_receiver() -> dict[str, Any]:
    """The docs' receiver example, executed: ``check_signature``, ``Receiver``, ``seen``."""
    code = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)[0]
    namespace: dict[str, Any] = {"__name__": "docs_receiver"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own docs, tested
    return namespace


class HookReceiver:
    """The docs' receiver with a record of every request and ``answers``: the statuses to give
    to the first requests (after the docs' code has processed them), 204 after that."""

    def __init__(self, secret: str = "", port: int = 0, answers: list[int] | None = None):
        self.code = docs_receiver()
        self.secret = secret
        self.answers = list(answers or [])
        self.requests: list[dict[str, Any]] = []  # every request: headers, body, signature ok
        self.processed: list[dict[str, Any]] = []  # events the docs' code processed (deduped)
        base = self.code["Receiver"]
        outer = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def send_response(self, code: int, message: str | None = None) -> None:
                if code == 204 and outer.answers:
                    code = outer.answers.pop(0)
                super().send_response(code, message)

            def do_POST(self) -> None:
                outer._before(self)
                super().do_POST()

        self.use_secret(secret)
        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _before(self, handler: Any) -> None:
        length = int(handler.headers.get("Content-Length", 0))
        body = handler.rfile.read(length)
        handler.rfile = _Replay(body)
        key = handler.headers.get("Evenly-Delivery")
        fresh = key not in self.code["seen"]
        self.requests.append(
            {"headers": dict(handler.headers), "body": body, "key": key, "new": fresh}
        )
        if fresh and self.code["check_signature"](
            self.secret, handler.headers.get("Evenly-Signature", ""), body, _now()
        ):
            self.processed.append(json.loads(body))

    def use_secret(self, secret: str) -> None:
        """The endpoint's secret, as the docs' receiver reads it (from its environment)."""
        self.secret = secret
        self.code["os"].environ["RECEIVER_SECRET"] = secret

    def start(self) -> HookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.code["os"].environ.pop("RECEIVER_SECRET", None)


class _Replay:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int = -1) -> bytes:
        chunk, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return chunk

    def close(self) -> None:
        pass


def _now() -> float:
    import time

    return time.time()
