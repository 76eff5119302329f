#!/usr/bin/env python3
"""Faults survived, on the real server (`pilar serve`, SQLite file, the demo city):

  1. kill -9 in the middle of an evidence upload: after the restart no staging file is left in
     files/tmp, the evidence does not exist (the indicator's page does not list it), nothing else
     changed, and the server serves again.
  3. (below 2) SQLite under concurrent writers: eight clients commenting on action items and
     saving draft answers at once, 160 writes; every one answers as a form does (303, or a
     conflict named on the page), none with a 500, and "database is locked" is nowhere.
  2. The data folder full (a 24 MB tmpfs, so this part needs root; skipped otherwise): an upload
     larger than the space left is refused with the page's own message (507), no staging file is
     left, no evidence is stored, and the server keeps serving (health, pages, a small upload).

  Tests/service/faults.py PATH-TO-PILAR
"""
import http.client, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.parse

PILAR = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 8312
BOUNDARY = "pilarFault7MA4YWxk"
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok: failures.append(what)

def start(data):
    env = dict(os.environ, PILAR_DATA_DIR=data, PILAR_PORT=str(PORT), PILAR_BCRYPT_COST="4", PILAR_ROOT=ROOT,
               PILAR_ADMIN_PASSWORD="fault-test-admin", PILAR_REQUEST_LOG="off", LOG_LEVEL="warning")
    out = open(os.path.join(tempfile.gettempdir(), f"pilar-fault-{os.getpid()}.log"), "a+")
    p = subprocess.Popen([PILAR, "serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    for _ in range(240):
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2); c.request("GET", "/healthz")
            if c.getresponse().status == 200: return p, out
        except OSError:
            if p.poll() is not None: break
        time.sleep(0.25)
    out.seek(0); print(out.read()[-3000:]); sys.exit("pilar serve did not start")

class Client:
    def __init__(self):
        self.cookies = {}
    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        h = dict(headers or {})
        if self.cookies: h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse(); data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1); self.cookies[name] = value
        return r.status, data.decode("utf-8", "replace")
    def csrf(self, html):
        return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    def sign_in(self, user, password):
        _, html = self.request("GET", "/signin")
        status, _ = self.request("POST", "/signin", urllib.parse.urlencode({"_csrf": self.csrf(html), "username": user, "password": password}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status

def multipart_head(title, filename):
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode()

def upload(client, code, title, size):
    _, page = client.request("GET", f"/cycles/2022/indicators/{code}")
    body = multipart_head(title, "laporan.pdf") + b"%PDF-1.4\n" + b"0" * size + f"\r\n--{BOUNDARY}--\r\n".encode()
    return client.request("POST", f"/cycles/2022/indicators/{code}/evidence?_csrf={client.csrf(page)}", body,
                          {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})

def early_answer(client, code, title, size):
    """Sends a large upload as a browser does: reading the answer as soon as the server gives
    one, also while the body is still being sent (a refusal comes before the end of the body)."""
    _, page = client.request("GET", f"/cycles/2022/indicators/{code}")
    head = multipart_head(title, "besar.pdf") + b"%PDF-1.4\n"
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    s = socket.create_connection(("127.0.0.1", PORT))
    s.sendall((f"POST /cycles/2022/indicators/{code}/evidence?_csrf={client.csrf(page)} HTTP/1.1\r\nHost: pilar\r\n"
               f"Cookie: {'; '.join(f'{k}={v}' for k, v in client.cookies.items())}\r\n"
               f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
               f"Content-Length: {len(head) + size + len(tail)}\r\n\r\n").encode() + head)
    s.settimeout(2)
    sent, chunk = 0, b"0" * 65536
    try:
        while sent < size:
            n = min(len(chunk), size - sent); s.sendall(chunk[:n]); sent += n
        s.sendall(tail)
    except OSError:
        pass  # the server stopped reading: its answer is waiting
    s.settimeout(15)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer or len(answer) < 200:
            part = s.recv(65536)
            if not part: break
            answer += part
            if b"</html>" in answer: break
    except OSError:
        pass
    s.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, answer.decode("utf-8", "replace")

def staging(data):
    folder = os.path.join(data, "files", "tmp")
    return os.listdir(folder) if os.path.isdir(folder) else []

# 1. kill -9 during an upload.
data = tempfile.mkdtemp(prefix="pilar-fault-")
p, out = start(data)
dlh = Client(); dlh.sign_in("kediri.dlh", "demo-dlh-2022")
_, before = dlh.request("GET", "/cycles/2022/indicators/QW.ENV")
_, page = dlh.request("GET", "/cycles/2022/indicators/QW.ENV")
s = socket.create_connection(("127.0.0.1", PORT))
head = multipart_head("Unggahan terputus", "terputus.pdf") + b"%PDF-1.4\n"
s.sendall((f"POST /cycles/2022/indicators/QW.ENV/evidence?_csrf={dlh.csrf(page)} HTTP/1.1\r\nHost: pilar\r\n"
           f"Cookie: {'; '.join(f'{k}={v}' for k, v in dlh.cookies.items())}\r\n"
           f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(head) + 20_000_000}\r\n\r\n").encode() + head)
for _ in range(40):
    s.sendall(b"0" * 65536)
time.sleep(0.5)
check(len(staging(data)) == 1, f"mid-upload the file is being staged: {staging(data)}")
p.send_signal(signal.SIGKILL); p.wait(); s.close()
check(len(staging(data)) == 1, "after kill -9 the cut-off staging file is still there")
p, out = start(data)
check(staging(data) == [], f"after the restart no staging file is left: {staging(data)}")
dlh = Client(); dlh.sign_in("kediri.dlh", "demo-dlh-2022")
status, after = dlh.request("GET", "/cycles/2022/indicators/QW.ENV")
check(status == 200 and "Unggahan terputus" not in after, "the cut-off upload left no evidence")
status, _ = upload(dlh, "QW.ENV", "Unggahan sesudah restart", 1000)
check(status == 303, f"an upload after the restart is stored (status {status})")
p.send_signal(signal.SIGTERM); p.wait()
shutil.rmtree(data, ignore_errors=True)

# 2. The data folder full.
if os.geteuid() != 0 or shutil.which("mount") is None:
    print("skip the data folder full: needs root to mount a tmpfs")
else:
    mount = tempfile.mkdtemp(prefix="pilar-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount], check=True)
    try:
        p, out = start(mount)
        dlh = Client(); dlh.sign_in("kediri.dlh", "demo-dlh-2022")
        free = shutil.disk_usage(mount).free
        status, html = early_answer(dlh, "QW.ENV", "Berkas terlalu besar", free + 4_000_000)
        check(status == 507 and "Penyimpanan berkas di server penuh" in html,
              f"an upload larger than the free space ({free // 1_000_000} MB) is refused with the page's message (status {status})")
        check(staging(mount) == [], f"no staging file is left: {staging(mount)}")
        _, page = dlh.request("GET", "/cycles/2022/indicators/QW.ENV")
        check("Berkas terlalu besar" not in page, "no evidence was stored")
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5); c.request("GET", "/healthz")
        check(c.getresponse().status == 200, "the server keeps serving (/healthz)")
        status, _ = upload(dlh, "QW.ENV", "Berkas kecil", 1000)
        check(status == 303, f"a small upload that fits is stored (status {status})")
        p.send_signal(signal.SIGTERM); p.wait()
    finally:
        subprocess.run(["umount", mount]); shutil.rmtree(mount, ignore_errors=True)

# 3. Concurrent writers on SQLite.
import threading
data = tempfile.mkdtemp(prefix="pilar-busy-")
p, out = start(data)
coordinator = Client(); coordinator.sign_in("kediri.kominfo", "demo-kominfo-2022")
_, actions = coordinator.request("GET", "/actions")
items = sorted(set(re.findall(r'/actions/([0-9A-Fa-f-]{36})"', actions)))[:8]
statuses, lock = [], threading.Lock()
def commenter(n):
    me = Client(); me.cookies = dict(coordinator.cookies)
    for i in range(14):
        item = items[(n + i) % len(items)]
        _, page = me.request("GET", f"/actions/{item}")
        status, _ = me.request("POST", f"/actions/{item}/comments", urllib.parse.urlencode({"_csrf": me.csrf(page), "body": f"Tindak lanjut {n}-{i}"}),
                               {"Content-Type": "application/x-www-form-urlencoded"})
        with lock: statuses.append(status)
def drafter(n):
    me = Client(); me.sign_in("kediri.dlh", "demo-dlh-2022")
    for i in range(12):
        _, page = me.request("GET", "/cycles/2022/indicators/QW.ENV")
        revision = re.search(r'name="revision" value="(\d+)"', page)
        form = {"_csrf": me.csrf(page), "action": "save", "level": str(2 + i % 3), "justification": f"Draf {n}-{i}", "confirm_no_evidence": "1"}
        if revision: form["revision"] = revision.group(1)
        status, _ = me.request("POST", "/cycles/2022/indicators/QW.ENV", urllib.parse.urlencode(form),
                               {"Content-Type": "application/x-www-form-urlencoded"})
        with lock: statuses.append(status)
threads = [threading.Thread(target=commenter, args=(n,)) for n in range(6)] + [threading.Thread(target=drafter, args=(n,)) for n in range(2)]
for t in threads: t.start()
for t in threads: t.join()
p.send_signal(signal.SIGTERM); p.wait()
out.seek(0); log = out.read()
check(len(items) >= 1 and len(statuses) == 6 * 14 + 2 * 12, f"{len(statuses)} concurrent writes made on {len(items)} action items and one answer")
check(all(st in (303, 409, 422) for st in statuses), f"every write answered as a form does: {sorted(set(statuses))}")
check("database is locked" not in log and "SQLITE_BUSY" not in log, "no 'database is locked' anywhere")
shutil.rmtree(data, ignore_errors=True)

print(f"{len(failures)} failed" if failures else "faults: all passed")
sys.exit(1 if failures else 0)
