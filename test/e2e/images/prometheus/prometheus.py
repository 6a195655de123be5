#!/usr/bin/python3
"""A stand-in for the Prometheus server with the official image's layout: it reads the scrape
targets of --config.file (static_configs only), scrapes them every few seconds, keeps the latest
samples in memory and writes them under --storage.tsdb.path (as the real server writes its TSDB
there), and serves /-/healthy, /-/ready and /api/v1/query?query=<metric name>."""
import json, os, re, signal, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

args = dict(a[2:].split('=', 1) for a in sys.argv[1:] if a.startswith('--') and '=' in a)
config = args.get('config.file', '/etc/prometheus/prometheus.yml')
storage = args.get('storage.tsdb.path', 'data/')
interval = float(os.environ.get('E2E_SCRAPE_INTERVAL', '2'))
text = open(config).read()
targets = re.findall(r"['\"]?([A-Za-z0-9_.-]+:\d+)['\"]?", ' '.join(re.findall(r'targets:\s*\[([^\]]*)\]', text)))
os.makedirs(os.path.join(storage, 'wal'), exist_ok=True)  # fails at start, like the real server, if not writable
samples = {}
lock = threading.Lock()

def scrape():
    while True:
        for t in targets:
            try:
                body = urllib.request.urlopen(f'http://{t}/metrics', timeout=3).read().decode()
                now = time.time()
                with lock:
                    for line in body.splitlines():
                        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)', line)
                        if m:
                            samples[m.group(1)] = {'instance': t, 'value': m.group(3), 'ts': now}
                    snapshot = json.dumps(samples)
                tmp = os.path.join(storage, 'wal', 'samples.json.tmp')
                with open(tmp, 'w') as f:
                    f.write(snapshot)
                os.replace(tmp, os.path.join(storage, 'wal', 'samples.json'))
            except Exception as e:  # a target that is down is a sample-less scrape, as in Prometheus
                print(f'scrape {t} failed: {e}', file=sys.stderr, flush=True)
        time.sleep(interval)

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        u = urlparse(self.path)
        if u.path in ('/-/healthy', '/-/ready'):
            return self.reply(200, 'text/plain', 'Prometheus Server is Healthy.\n')
        if u.path in ('/api/v1/query', '/metrics'):
            if u.path == '/metrics':
                return self.reply(200, 'text/plain', f'prometheus_build_info{{version="e2e"}} 1\n')
            name = parse_qs(u.query).get('query', [''])[0]
            with lock:
                s = samples.get(name)
            result = [] if s is None else [{'metric': {'__name__': name, 'instance': s['instance']}, 'value': [s['ts'], s['value']]}]
            return self.reply(200, 'application/json', json.dumps({'status': 'success', 'data': {'resultType': 'vector', 'result': result}}))
        self.reply(404, 'text/plain', 'not found\n')

    def reply(self, code, ctype, body):
        data = body.encode()
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass

signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
threading.Thread(target=scrape, daemon=True).start()
print(f'Server is ready to receive web requests. targets={targets}', file=sys.stderr, flush=True)
ThreadingHTTPServer(('', 9090), Handler).serve_forever()
