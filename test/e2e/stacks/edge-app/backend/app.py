"""The application of the edge-app and env-secrets stacks: one HTTP endpoint that reads a row from
PostgreSQL and increments a counter in Redis, so a request through the edge proves the whole chain.
Every setting X read through setting() can also come from a file named by X_FILE (compose secrets);
SMTP_PASSWORD, like many a real application's odd setting, is read from the environment only."""
import json, os, signal, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import psycopg2
import redis


def setting(name, default=None):
    path = os.environ.get(name + '_FILE')
    if path:
        with open(path) as f:
            return f.read().strip()
    return os.environ.get(name, default)


def db_connect():
    url = setting('DATABASE_URL')
    if url:
        return psycopg2.connect(url, connect_timeout=3)
    return psycopg2.connect(host=setting('DB_HOST', 'db'), dbname=setting('DB_NAME', 'postgres'),
                            user=setting('DB_USER', 'postgres'), password=setting('DB_PASSWORD'), connect_timeout=3)


cache = redis.Redis(host=setting('REDIS_HOST', 'cache'), port=6379, password=setting('REDIS_PASSWORD'),
                    socket_timeout=3, socket_connect_timeout=3)

for attempt in range(60):
    try:
        with db_connect() as conn, conn.cursor() as cur:
            cur.execute('CREATE TABLE IF NOT EXISTS greetings (id serial PRIMARY KEY, message text NOT NULL)')
            cur.execute('SELECT count(*) FROM greetings')
            if cur.fetchone()[0] == 0:
                cur.execute("INSERT INTO greetings (message) VALUES ('hello from postgres')")
        break
    except psycopg2.OperationalError as e:
        print(f'waiting for the database: {e}'.strip(), file=sys.stderr, flush=True)
        time.sleep(1)
else:
    sys.exit('database unreachable')


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = urlparse(self.path).path
        try:
            if path == '/healthz':
                with db_connect() as conn, conn.cursor() as cur:
                    cur.execute('SELECT 1')
                cache.ping()
                return self.reply(200, {'status': 'ok'})
            if path in ('/', '/api/greeting'):
                with db_connect() as conn, conn.cursor() as cur:
                    cur.execute('SELECT message FROM greetings ORDER BY id LIMIT 1')
                    message = cur.fetchone()[0]
                hits = cache.incr('hits')
                return self.reply(200, {'db': message, 'cache_hits': hits, 'secret_key_set': bool(setting('SECRET_KEY')),
                                       'smtp_password_set': bool(os.environ.get('SMTP_PASSWORD'))})
            self.reply(404, {'error': 'not found'})
        except Exception as e:
            self.reply(500, {'error': f'{type(e).__name__}: {e}'})

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        print(fmt % args, file=sys.stderr, flush=True)


signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print('listening on :8000', file=sys.stderr, flush=True)
ThreadingHTTPServer(('', 8000), Handler).serve_forever()
