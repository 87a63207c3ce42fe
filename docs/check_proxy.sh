#!/bin/sh
# Try docs/nginx.conf.example on loopback: two tracker instances on one PostgreSQL behind
# nginx, requests spread over both, and the site still answers with one instance stopped.
# Usage (from the repository root): DIGIYSTAVA_DATABASE_URL=postgresql://... sh docs/check_proxy.sh
set -eu
: "${DIGIYSTAVA_DATABASE_URL:?set it to a migrated PostgreSQL database}"
WORK=$(mktemp -d)
PY=${PYTHON:-.venv/bin/python}
A=18011; B=18012; PROXY=18010
# The example with loopback upstreams and plain HTTP (no certificate here).
sed -e "s/10.0.0.11:8000/127.0.0.1:$A/" -e "s/10.0.0.12:8000/127.0.0.1:$B/" docs/nginx.conf.example \
  | awk '/^server \{/{n++} n<2' \
  | sed -e "s/listen 443 ssl http2;.*/listen 127.0.0.1:$PROXY;/" -e '/ssl_certificate/d' > "$WORK/site.conf"
printf 'pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n access_log %s/access.log;\n include %s/site.conf;\n}\n' \
  "$WORK" "$WORK" "$WORK" "$WORK" > "$WORK/nginx.conf"
$PY -m digiystava serve --host 127.0.0.1 --port $A >"$WORK/a.log" 2>&1 & PID_A=$!
$PY -m digiystava serve --host 127.0.0.1 --port $B >"$WORK/b.log" 2>&1 & PID_B=$!
cleanup() { kill $PID_A $PID_B 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
nginx -t -p "$WORK" -c "$WORK/nginx.conf"
nginx -p "$WORK" -c "$WORK/nginx.conf"
for i in $(seq 50); do curl -fs "http://127.0.0.1:$A/health" >/dev/null && curl -fs "http://127.0.0.1:$B/health" >/dev/null && break; sleep 0.2; done
for i in $(seq 20); do curl -fs "http://127.0.0.1:$PROXY/health" >/dev/null; done
echo "instance A answered $(grep -c 'GET /health' "$WORK/a.log" || true) health checks, instance B $(grep -c 'GET /health' "$WORK/b.log" || true)"
kill $PID_A; sleep 1
for i in $(seq 10); do curl -fs "http://127.0.0.1:$PROXY/health" >/dev/null || { echo "FAILED with instance A stopped"; exit 1; }; done
echo "with instance A stopped all 10 requests were answered by B"
