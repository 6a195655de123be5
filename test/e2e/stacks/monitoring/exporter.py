"""A minimal Prometheus exporter: /metrics in the text exposition format."""
import signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

scrapes = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global scrapes
        if self.path != '/metrics':
            self.send_response(404)
            self.end_headers()
            return
        with lock:
            scrapes += 1
            n = scrapes
        body = (f'# TYPE e2e_exporter_answer gauge\ne2e_exporter_answer 42\n'
                f'# TYPE e2e_exporter_scrapes_total counter\ne2e_exporter_scrapes_total {n}\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
ThreadingHTTPServer(('', 9100), Handler).serve_forever()
