#!/usr/bin/env python3
"""Two `pilar serve` processes on one PostgreSQL behind nginx (Debian's, on loopback,
round-robin, configured from deploy/nginx-pilar.conf), sharing one data folder as two hosts share
a mount:

  1. a user signs in through nginx and keeps working through it: requests land on both processes
     (their request logs), every page answers 200, the session and its form tokens hold on both;
  2. evidence uploaded through process A downloads through process B byte for byte, and a 6 MB
     file uploaded through nginx (streamed, not buffered) downloads through nginx the same;
  3. an account locked by wrong passwords sent to A refuses the right password on B;
  4. caches stay fresh across both: B's cached indicator page shows a draft saved through A at
     once, and B's cached dashboard changes with a verification made through A.

  Tests/service/scaleout.py PATH-TO-PILAR   (as root: installs nginx and PostgreSQL when missing)
"""
import hashlib, http.client, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.parse

PILAR = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROXY, A, B = 8420, 8421, 8422
BOUNDARY = "pilarScaleOut9QmZ"
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok: failures.append(what)

if shutil.which("nginx") is None:
    subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || "
                   "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx", shell=True, check=True,
                   stdout=subprocess.DEVNULL)
admin_url = subprocess.run(["bash", os.path.join(ROOT, ".ci/postgres-start")], check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]
name = f"pilar_scaleout_{os.getpid()}"
subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
database_url = admin_url.rsplit("/", 1)[0] + "/" + name
work = tempfile.mkdtemp(prefix="pilar-scaleout-")
shared = os.path.join(work, "shared")
processes = []

def wait_healthy(port, p, log):
    for _ in range(480):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2); c.request("GET", "/healthz")
            if c.getresponse().status == 200: return
        except OSError:
            if p is not None and p.poll() is not None: break
        time.sleep(0.25)
    print(open(log).read()[-3000:]); sys.exit(f"nothing answers on port {port}")

def start(port, label):
    env = dict(os.environ, DATABASE_URL=database_url, PILAR_DATA_DIR=shared, PILAR_PORT=str(port), PILAR_BCRYPT_COST="4",
               PILAR_ROOT=ROOT, PILAR_ADMIN_PASSWORD="scaleout-admin", PILAR_REQUEST_LOG="on", LOG_LEVEL="warning",
               PILAR_TRUSTED_PROXIES="127.0.0.1", PILAR_MAX_FAILED_SIGNINS="3")
    log = os.path.join(work, f"{label}.log")
    p = subprocess.Popen([PILAR, "serve"], cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    processes.append(p)
    wait_healthy(port, p, log)
    return log

def nginx_config():
    """deploy/nginx-pilar.conf with this run's ports, inside a minimal nginx.conf."""
    server = open(os.path.join(ROOT, "deploy/nginx-pilar.conf")).read()
    server = server.replace("127.0.0.1:8081", f"127.0.0.1:{A}").replace("127.0.0.1:8082", f"127.0.0.1:{B}")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{PROXY};")
    assert f"127.0.0.1:{A}" in server and f"listen 127.0.0.1:{PROXY}" in server, "deploy/nginx-pilar.conf changed shape"
    prefix = os.path.join(work, "nginx")
    os.makedirs(prefix); os.chmod(work, 0o755); os.chmod(prefix, 0o777)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log {prefix}/access.log;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
{server}
}}
""")
    subprocess.run(["nginx", "-t", "-q", "-p", prefix, "-c", conf], check=True)
    p = subprocess.Popen(["nginx", "-p", prefix, "-c", conf, "-g", "daemon off;"], stdin=subprocess.DEVNULL)
    processes.append(p)
    wait_healthy(PROXY, p, os.path.join(prefix, "error.log"))

class Client:
    def __init__(self, port):
        self.port, self.cookies = port, {}
    def request(self, method, path, body=None, headers=None, port=None):
        c = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=60)
        h = dict(headers or {})
        if self.cookies: h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse(); data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                n, value = v.split(";")[0].split("=", 1); self.cookies[n] = value
        self.location = r.getheader("Location")
        return r.status, data
    def page(self, path, port=None):
        status, data = self.request("GET", path, port=port)
        return status, data.decode("utf-8", "replace")
    def form(self, path, fields, port=None):
        return self.request("POST", path, urllib.parse.urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"}, port=port)[0]
    @staticmethod
    def csrf(html):
        return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    def sign_in(self, user, password, port=None):
        _, html = self.page("/signin", port=port)
        return self.form("/signin", {"_csrf": self.csrf(html), "username": user, "password": password}, port=port)
    def upload(self, code, title, content, port=None):
        _, page = self.page(f"/cycles/2022/indicators/{code}", port=port)
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n"
                f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bukti.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
        return self.request("POST", f"/cycles/2022/indicators/{code}/evidence?_csrf={self.csrf(page)}", body,
                            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, port=port)[0]

def evidence_file(page, title):
    """The download link of the evidence titled `title` on an indicator page."""
    for m in re.finditer(r'href="(/evidence/[0-9A-Fa-f-]{36}/file)"', page):
        if title in page[m.end():m.end() + 400]: return m.group(1)
    return None

def user_lines(log, user_id):
    return [l for l in open(log) if f'"user":"{user_id}"' in l]

try:
    log_a = start(A, "a")      # the first start migrates and loads the demo city
    log_b = start(B, "b")
    nginx_config()

    # 1. Signed in through nginx, working through both processes.
    dlh = Client(PROXY)
    check(dlh.sign_in("kediri.dlh", "demo-dlh-2022") == 303, "sign-in through nginx")
    statuses = [dlh.page(path)[0] for path in ["/", "/my/indicators", "/cycles/2022/indicators/QW.ENV", "/inbox", "/actions"] * 4]
    check(statuses == [200] * len(statuses), f"20 pages through nginx as the signed-in user: {sorted(set(statuses))}")
    _, me = dlh.page("/account")
    uid = subprocess.run(["psql", database_url, "-qAtc", "SELECT id FROM users WHERE username = 'kediri.dlh'"],
                         capture_output=True, text=True, check=True).stdout.strip()
    on_a, on_b = len(user_lines(log_a, uid.upper())), len(user_lines(log_b, uid.upper()))
    check(on_a >= 5 and on_b >= 5, f"the user's requests were served by both processes (A {on_a}, B {on_b})")
    _, page = dlh.page("/cycles/2022/indicators/QW.ENV")
    token = Client.csrf(page)
    draft = {"_csrf": token, "action": "save", "level": "3", "justification": "Draf lewat nginx", "confirm_no_evidence": "1"}
    revision = re.search(r'name="revision" value="(\d+)"', page)
    if revision: draft["revision"] = revision.group(1)
    check(dlh.form("/cycles/2022/indicators/QW.ENV", draft) == 303, "a form whose token was issued by one process is accepted by nginx's next pick")

    # 2. Files reach every process.
    pdf = b"%PDF-1.4\n" + os.urandom(200_000)
    check(dlh.upload("QW.ENV", "Bukti lewat A", pdf, port=A) == 303, "evidence uploaded through process A")
    _, page_b = dlh.page("/cycles/2022/indicators/QW.ENV", port=B)
    link = evidence_file(page_b, "Bukti lewat A")
    status, got = dlh.request("GET", link, port=B) if link else (0, b"")
    check(status == 200 and got == pdf, f"…downloads through process B byte for byte (status {status}, {len(got)} bytes)")
    big = b"%PDF-1.4\n" + os.urandom(6_000_000)
    check(dlh.upload("QW.ENV", "Bukti besar lewat nginx", big) == 303, "a 6 MB file uploaded through nginx")
    _, page = dlh.page("/cycles/2022/indicators/QW.ENV")
    link = evidence_file(page, "Bukti besar lewat nginx")
    got = [dlh.request("GET", link)[1] for _ in range(2)] if link else [b""]
    check(all(hashlib.sha256(g).digest() == hashlib.sha256(big).digest() for g in got),
          "…downloads through nginx the same from both processes")

    # 3. A lock-out counted on one process holds on the other (PILAR_MAX_FAILED_SIGNINS=3).
    guesser = Client(A)
    for _ in range(3): guesser.sign_in("kediri.dinkes", "salah-sekali", port=A)
    owner = Client(B)
    status = owner.sign_in("kediri.dinkes", "demo-dinkes-2022", port=B)
    _, html = owner.page("/signin", port=B) if status != 303 else (0, "")
    check(status != 303, f"after 3 wrong passwords on A the right one is refused on B (status {status})")
    locked = subprocess.run(["psql", database_url, "-qAtc", "SELECT locked_until IS NOT NULL FROM users WHERE username = 'kediri.dinkes'"],
                            capture_output=True, text=True).stdout.strip()
    check(locked == "t", "the account is locked in the shared database")

    # 4. Caches fresh across both processes.
    a, b = Client(A), Client(B)
    a.cookies = b.cookies = dict(dlh.cookies)
    for _ in range(3): b.page("/cycles/2022/indicators/QW.ENV")       # B's caches hold the page
    _, page = a.page("/cycles/2022/indicators/QW.ENV")
    fresh = {"_csrf": Client.csrf(page), "action": "save", "level": "4", "justification": "Draf dari proses A", "confirm_no_evidence": "1"}
    revision = re.search(r'name="revision" value="(\d+)"', page)
    if revision: fresh["revision"] = revision.group(1)
    check(a.form("/cycles/2022/indicators/QW.ENV", fresh) == 303, "a draft saved through A")
    _, page = b.page("/cycles/2022/indicators/QW.ENV")
    check("Draf dari proses A" in page, "B's indicator page shows it at once")
    coordinator = Client(B)
    check(coordinator.sign_in("kediri.kominfo", "demo-kominfo-2022") == 303, "the coordinator signed in on B")
    _, dash_before = coordinator.page("/dashboard")
    _, dash_again = coordinator.page("/dashboard")
    _, review = coordinator.page("/review", port=A)
    code = re.search(r'href="/cycles/2022/indicators/([A-Z0-9.]+)"', review)
    verified = False
    if code:
        _, page = coordinator.page(f"/cycles/2022/indicators/{code.group(1)}", port=A)
        fields = {"_csrf": Client.csrf(page), "action": "verify", "verified_level": "3", "note": "Diverifikasi lewat A"}
        revision = re.search(r'name="revision" value="(\d+)"', page)
        if revision: fields["revision"] = revision.group(1)
        verified = coordinator.form(f"/cycles/2022/indicators/{code.group(1)}", fields, port=A) == 303
    check(verified, f"the coordinator verified {code.group(1) if code else '(none in the review queue)'} through A")
    _, dash_after = coordinator.page("/dashboard")
    strip = lambda html: re.sub(r'name="_csrf" value="[^"]+"', "", html)
    check(strip(dash_again) == strip(dash_before), "B's dashboard is the same page while nothing is written (from its cache)")
    check(strip(dash_after) != strip(dash_before), "B's cached dashboard changed with it")
finally:
    for p in reversed(processes):
        if p.poll() is None: p.send_signal(signal.SIGTERM)
    for p in processes:
        try: p.wait(timeout=15)
        except subprocess.TimeoutExpired: p.kill()
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], stdout=subprocess.DEVNULL)
    if failures:
        for label in ["a", "b"]:
            path = os.path.join(work, f"{label}.log")
            if os.path.exists(path): print(f"--- {label}.log (last lines)"); print("".join(open(path).readlines()[-15:]))
        err = os.path.join(work, "nginx", "error.log")
        if os.path.exists(err): print("--- nginx error.log"); print(open(err).read()[-2000:])
    shutil.rmtree(work, ignore_errors=True)

print(f"{len(failures)} failed" if failures else "scale-out: all passed")
sys.exit(1 if failures else 0)
