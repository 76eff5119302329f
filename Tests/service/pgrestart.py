#!/usr/bin/env python3
"""PostgreSQL restarted under load: `pilar serve` on PostgreSQL with readers signed in, the
database server stopped for a few seconds and started again. During the outage every request
answers at once with a clear 503 page (no hang, no 500); after it every request succeeds again
without restarting Pilar, and the users are still signed in.

  Tests/service/pgrestart.py PATH-TO-PILAR   (as root: uses .ci/postgres-start's cluster)
"""
import http.client, os, re, shutil, signal, subprocess, sys, tempfile, threading, time, urllib.parse

PILAR = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 8431
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok: failures.append(what)

admin_url = subprocess.run(["bash", os.path.join(ROOT, ".ci/postgres-start")], check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]
version = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
def cluster(action):
    subprocess.run(["pg_ctlcluster", version, "main", action], check=True)
name = f"pilar_pgrestart_{os.getpid()}"
subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
work = tempfile.mkdtemp(prefix="pilar-pgrestart-")
env = dict(os.environ, DATABASE_URL=admin_url.rsplit("/", 1)[0] + "/" + name, PILAR_DATA_DIR=work, PILAR_PORT=str(PORT),
           PILAR_BCRYPT_COST="4", PILAR_ROOT=ROOT, PILAR_ADMIN_PASSWORD="pgrestart-admin", PILAR_REQUEST_LOG="off", LOG_LEVEL="warning")
log = open(os.path.join(work, "server.log"), "w+")
p = subprocess.Popen([PILAR, "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

def get(path, cookies=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    h = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    start = time.monotonic()
    try:
        c.request("GET", path, headers=h); r = c.getresponse(); body = r.read().decode("utf-8", "replace")
        return r.status, body, time.monotonic() - start, r.getheaders()
    except OSError as e:
        return 0, str(e), time.monotonic() - start, []

try:
    for _ in range(480):
        if get("/healthz", timeout=2)[0] == 200: break
        if p.poll() is not None: break
        time.sleep(0.25)
    cookies = {}
    _, html, _, headers = get("/signin")
    for k, v in headers:
        if k.lower() == "set-cookie": n, val = v.split(";")[0].split("=", 1); cookies[n] = val
    token = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    c.request("POST", "/signin", urllib.parse.urlencode({"_csrf": token, "username": "kediri.kominfo", "password": "demo-kominfo-2022"}),
              {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    r = c.getresponse(); r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie": n, val = v.split(";")[0].split("=", 1); cookies[n] = val
    check(r.status == 303, "the coordinator signed in")
    pages = ["/dashboard", "/my/indicators", "/actions", "/cycles/2022/indicators/QW.ENV", "/api/v1/cycles/2022/score"]
    check(all(get(path, cookies)[0] == 200 for path in pages), "pages answer before the outage")

    # Load: four readers going on through the outage.
    results, stop, lock = [], threading.Event(), threading.Lock()
    def reader(n):
        while not stop.is_set():
            path = pages[(n + len(results)) % len(pages)]
            status, body, took, _ = get(path, cookies)
            with lock: results.append((time.monotonic(), status, took, body[:4000], path))
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(5)]
    for t in threads: t.start()
    time.sleep(2)
    down_at = time.monotonic(); cluster("stop")
    time.sleep(4)
    during = [r for r in results if r[0] > down_at + 0.5]
    up_at = time.monotonic(); cluster("start")
    time.sleep(4)
    stop.set()
    for t in threads: t.join()
    statuses = sorted(set(r[1] for r in during))
    check(len(during) > 0 and all(r[1] == 503 for r in during), f"during the outage every request answers 503 ({len(during)} requests: {statuses})")
    check(all(r[2] < 10 for r in during), f"…at once, none hangs (slowest {max((r[2] for r in during), default=0):.1f} s)")
    sample = next((r[3] for r in during if r[1] == 503 and not r[4].startswith("/api/")), "")
    check("<html" in sample.lower() and "Basis data Pilar sedang tidak dapat dihubungi" in sample,
          "…with a page that says the database cannot be reached")
    api = next((r[3] for r in during if r[1] == 503 and r[4].startswith("/api/")), "")
    check(api.startswith('{"error"') and "Basis data" in api, f"…and the API with a JSON error: {api[:80]}")
    after = [r for r in results if r[0] > up_at + 3]
    check(len(after) > 0 and all(r[1] == 200 for r in after), f"after it every request succeeds, still signed in ({len(after)} requests: {sorted(set(r[1] for r in after))})")
    check(all(get(path, cookies)[0] == 200 for path in pages), "every page answers again without restarting Pilar")
finally:
    subprocess.run(["pg_ctlcluster", version, "main", "start"], stderr=subprocess.DEVNULL)
    p.send_signal(signal.SIGTERM)
    try: p.wait(timeout=15)
    except subprocess.TimeoutExpired: p.kill()
    if failures: log.seek(0); print(log.read()[-3000:])
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], stdout=subprocess.DEVNULL)
    shutil.rmtree(work, ignore_errors=True)

print(f"{len(failures)} failed" if failures else "PostgreSQL restart: all passed")
sys.exit(1 if failures else 0)
