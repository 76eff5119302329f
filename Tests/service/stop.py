#!/usr/bin/env python3
"""A clean stop for a service manager, checked on the real server (`pilar serve`, SQLite file):

  1. SIGTERM with idle keep-alive connections open: the process exits 0 within 3 s.
  2. SIGTERM while a request is running (its body still arriving for 2 s): the listening socket
     closes at once (a new connection is refused), the running request gets its response, and
     the process exits 0 soon after.
  3. SIGTERM while a request never finishes: the process still exits 0, after PILAR_STOP_SECONDS
     (2 here) and well before a service manager's time-out.
  4. SIGINT (Ctrl-C) stops it the same way.
  5. Every request is one JSON line on standard output (time, id, method, path without its query,
     status, ms, user) — the same lines a systemd journal keeps.

  Tests/service/stop.py PATH-TO-PILAR
"""
import json, os, signal, socket, subprocess, sys, tempfile, time, urllib.request

PILAR = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 8311
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok: failures.append(what)

def start():
    data = tempfile.mkdtemp(prefix="pilar-stop-")
    env = dict(os.environ, PILAR_DATA_DIR=data, PILAR_PORT=str(PORT), PILAR_BCRYPT_COST="4", PILAR_ROOT=ROOT,
               PILAR_SEED_DEMO="false", PILAR_ADMIN_PASSWORD="stop-test-admin", PILAR_STOP_SECONDS="2", LOG_LEVEL="notice")
    out = open(os.path.join(data, "stdout.log"), "w+")
    p = subprocess.Popen([PILAR, "serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1).read()
            return p, out
        except Exception:
            if p.poll() is not None: break
            time.sleep(0.25)
    out.seek(0); print(out.read()); sys.exit("pilar serve did not start")

def stop(p, sig):
    t0 = time.monotonic(); p.send_signal(sig)
    try: code = p.wait(timeout=30)
    except subprocess.TimeoutExpired: p.kill(); code = None
    return code, time.monotonic() - t0

def refused():
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close(); return False
    except OSError: return True

def slow_post(seconds):
    """A sign-in POST whose body arrives over `seconds` seconds (0: never finishes)."""
    s = socket.create_connection(("127.0.0.1", PORT))
    body = b"username=someone&password=" + b"x" * 30
    s.sendall(b"POST /signin?next=/secret HTTP/1.1\r\nHost: pilar\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body))
    return s, body

# 1 and 5: idle keep-alive connections; the request log.
p, out = start()
idle = socket.create_connection(("127.0.0.1", PORT)); idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: pilar\r\n\r\n"); idle.recv(4096)
urllib.request.urlopen(f"http://127.0.0.1:{PORT}/signin?next=/private-search", timeout=5).read()
try: urllib.request.urlopen(f"http://127.0.0.1:{PORT}/no-such-page", timeout=5)
except urllib.error.HTTPError as e: check(e.code == 404, "an unknown page answers 404")
code, took = stop(p, signal.SIGTERM)
check(code == 0 and took < 3, f"SIGTERM with an idle keep-alive connection: exit {code} in {took:.1f} s (0 within 3 s)")
out.seek(0)
lines = [l for l in out.read().splitlines() if l.startswith("{")]
logged = [json.loads(l) for l in lines]
paths = [(r["method"], r["path"], r["status"]) for r in logged]
check(("GET", "/healthz", 200) in paths and ("GET", "/signin", 200) in paths and ("GET", "/no-such-page", 404) in paths,
      f"one JSON line per request with method, path and status: {paths[-3:]}")
check(all(r["id"] and r["time"].endswith("Z") and r["ms"] >= 0 for r in logged), "each line has its id, time (UTC) and ms")
check(not any("private-search" in l for l in lines), "no query string is logged")

# 2: a request running when SIGTERM comes finishes; new connections are refused at once.
p, out = start()
s, body = slow_post(2)
s.sendall(body[:10]); time.sleep(0.3)
t0 = time.monotonic(); p.send_signal(signal.SIGTERM); time.sleep(0.3)
check(refused(), "after SIGTERM a new connection is refused")
for i in range(10, len(body)):
    s.sendall(body[i:i + 1]); time.sleep(2 / len(body))
s.settimeout(10)
answer = s.recv(200).split(b"\r\n")[0]
check(answer.startswith(b"HTTP/1.1 "), f"the running request got its answer after SIGTERM: {answer!r}")
code = p.wait(timeout=30); took = time.monotonic() - t0
check(code == 0 and took < 5, f"then the process exits {code} after {took:.1f} s")

# 3: a request that never finishes holds the stop for PILAR_STOP_SECONDS only.
p, out = start()
s, body = slow_post(0)
s.sendall(body[:5]); time.sleep(0.3)
code, took = stop(p, signal.SIGTERM)
check(code == 0 and 1.5 < took < 6, f"a request that never ends: exit {code} after {took:.1f} s (PILAR_STOP_SECONDS=2)")

# 4: SIGINT.
p, out = start()
code, took = stop(p, signal.SIGINT)
check(code == 0 and took < 3, f"SIGINT: exit {code} in {took:.1f} s")

print(f"{len(failures)} failed" if failures else "clean stop: all passed")
sys.exit(1 if failures else 0)
