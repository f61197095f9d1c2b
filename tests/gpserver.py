"""A CelesTrak gp.php look-alike on 127.0.0.1 for tests, well-behaved or hostile.

``routes[norad]`` is ``(status, body bytes, delay_s)`` for an ordinary answer, or a
callable ``raw(handler)`` that writes whatever bytes it likes to ``handler.wfile``
(a bad status line, a body that never ends, a broken chunked encoding, ...).
"""

import http.server
import threading
import time


class Server:
    """A gp.php look-alike: ``routes[norad]`` is (status, body bytes, delay_s)."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                from urllib.parse import parse_qs, urlparse
                query = parse_qs(urlparse(self.path).query)
                outer.requests.append(self.path)
                norad = int(query.get("CATNR", ["0"])[0])
                route = outer.routes.get(norad, (404, b"Not Found", 0))
                if callable(route):
                    try:
                        route(self)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                status, body, delay = route
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler, status: int, body: bytes, content_type: str = "application/json") -> None:
    """An ordinary, complete HTTP answer (for routes that compute their body)."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
