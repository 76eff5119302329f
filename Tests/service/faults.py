#!/usr/bin/env python3
"""Faults survived, on the real server (`pilar serve`, SQLite file, the demo city):

  1. kill -9 in the middle of an evidence upload: after the restart no staging file is left in
     files/tmp, the evidence does not exist (the indicator's page does not list it), nothing else
     changed, and the server serves again.
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
        status, html = upload(dlh, "QW.ENV", "Berkas terlalu besar", free + 4_000_000)
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

print(f"{len(failures)} failed" if failures else "faults: all passed")
sys.exit(1 if failures else 0)
