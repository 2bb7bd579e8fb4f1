"""The page the books' sign-in sends the browser back to: a one-answer HTTP server on 127.0.0.1.

It takes the first `/callback` it gets and checks its `state` against the one the sign-in was started
with: a different state means the answer did not come from this sign-in (a forged or stale link), so it
is refused, nothing is exchanged and the command stops. Request lines are never logged: they carry the
authorization code.
"""

from __future__ import annotations

import html
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

CALLBACK_PATH = "/callback"


class SignInError(RuntimeError):
    """The sign-in did not give us a usable code; the message says why and what to do."""


class CallbackServer:
    def __init__(self, state: str, port: int = 0, host: str = "127.0.0.1"):
        self.state = state
        self.answer: dict[str, str] | None = None
        self.problem: str | None = None
        self._done = threading.Event()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        # a short poll: shutting down waits for the loop to look again
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oauth-callback", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def redirect_uri(self, host: str = "localhost") -> str:
        # Intuit and Xero accept plain http only for localhost redirect URIs
        return f"http://{host}:{self.port}{CALLBACK_PATH}"

    def __enter__(self) -> "CallbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        """The callback's query parameters once it came with the right state and a code."""
        if not self._done.wait(timeout):
            raise SignInError(f"no answer from the sign-in within {timeout:g} seconds: run the command again and "
                              "approve access in the browser (or raise --timeout)")
        if self.problem:
            raise SignInError(self.problem)
        return dict(self.answer or {})

    # --- the one page -------------------------------------------------------------------------------------
    def _receive(self, params: dict[str, str]) -> tuple[int, str, str]:
        """(status, title, text) of the page, after recording the outcome."""
        if self._done.is_set():
            return 409, "Already answered", "This sign-in already got its answer. You can close this tab."
        given = params.get("state", "")
        if not secrets.compare_digest(given.encode(), self.state.encode()):
            self.problem = ("the sign-in came back with a state that does not match the one this command sent: "
                            "the link was not started by this command (forged or stale); nothing was stored. Run "
                            "the command again and use the address it prints")
            outcome = (400, "Sign-in refused", "The answer's state does not match this sign-in, so it was "
                       "refused and nothing was stored. Run the command again and use the address it prints.")
        elif "error" in params:
            reason = params.get("error_description") or params["error"]
            self.problem = f"the sign-in was not approved ({reason}); nothing was stored"
            outcome = (400, "Not connected", f"Access was not approved ({reason}). Nothing was stored.")
        elif not params.get("code"):
            self.problem = "the sign-in came back without an authorization code; nothing was stored"
            outcome = (400, "Not connected", "The answer carried no authorization code. Nothing was stored.")
        else:
            self.answer = params
            outcome = (200, "Signed in", "Access approved. You can close this tab and return to the terminal.")
        self._done.set()
        return outcome

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self._page(404, "Not here", "This address only takes the sign-in's answer.")
                    return
                self._page(*server._receive(dict(parse_qsl(parts.query, keep_blank_values=True))))

            def _page(self, status: int, title: str, text: str) -> None:
                body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return  # the request line holds the code

        return Handler
