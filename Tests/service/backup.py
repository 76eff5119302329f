#!/usr/bin/env python3
"""Backup and restore, with the real server and the real databases:

  1. `pilar backup --to a.zip` of a SQLite city (the demo at scale 1: 100 evidence files) while the
     server runs and an agency uploads evidence through it: the archive is whole, and every file
     its evidence rows refer to is in it (a consistent snapshot).
  2. SQLite -> SQLite: `pilar restore a.zip` into an empty data folder; `pilar files check` passes;
     a backup of the restored city holds the same rows in every table (byte for byte) and the
     same bytes in every file; the restored folder's files are the archive's bytes.
  3. SQLite -> PostgreSQL (how a city moves up): the same archive restored with DATABASE_URL set,
     once with the files in the data folder and once with PILAR_FILES=postgres; a backup of each
     holds the same rows in every table (UUIDs compared in lower case, times to the microsecond,
     true/false as 1/0: how each database keeps them) and the same file bytes; the PostgreSQL
     city is served: the agency signs in and downloads a file kept in the database, byte-exact.
  4. Refused, restoring nothing: a damaged archive (one byte changed inside a table), a truncated
     one, a file that is not an archive, and a restore into a database that already holds a city
     — each with exit 1 and a message saying why, the target left empty (or as it was).

  Tests/service/backup.py PATH-TO-PILAR
"""
import http.client, json, os, re, shutil, sqlite3, subprocess, sys, tempfile, threading, time, urllib.parse, zipfile

PILAR = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 8441
BOUNDARY = "pilarBackup7MA4YWxk"
failures = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok: failures.append(what)

def env(data, url=None, files=None):
    e = dict(os.environ, PILAR_DATA_DIR=data, PILAR_ROOT=ROOT, PILAR_BCRYPT_COST="4", PILAR_PORT=str(PORT),
             PILAR_REQUEST_LOG="off", LOG_LEVEL="warning", PILAR_ADMIN_PASSWORD="backup-test-admin")
    e.pop("DATABASE_URL", None); e.pop("PILAR_FILES", None)
    if url: e["DATABASE_URL"] = url
    if files: e["PILAR_FILES"] = files
    return e

def pilar(args, e):
    p = subprocess.run([PILAR] + args, cwd=ROOT, env=e, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return p.returncode, (p.stdout + p.stderr)

def serve(e):
    out = open(os.path.join(tempfile.gettempdir(), f"pilar-backup-{os.getpid()}.log"), "a+")
    p = subprocess.Popen([PILAR, "serve"], cwd=ROOT, env=e, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    for _ in range(240):
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2); c.request("GET", "/healthz")
            if c.getresponse().status == 200: return p
        except OSError:
            if p.poll() is not None: break
        time.sleep(0.25)
    out.seek(0); print(out.read()[-3000:]); sys.exit("pilar serve did not start")

def stop(p):
    p.terminate(); p.wait(timeout=20)

class Client:
    def __init__(self): self.cookies = {}
    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        h = dict(headers or {})
        if self.cookies: h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse(); data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1); self.cookies[name] = value
        return r.status, data
    def csrf(self, html):
        return re.search(r'name="_csrf" value="([^"]+)"', html.decode()).group(1)
    def sign_in(self, user, password):
        _, html = self.request("GET", "/signin")
        status, _ = self.request("POST", "/signin", urllib.parse.urlencode({"_csrf": self.csrf(html), "username": user, "password": password}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status

def upload(client, n):
    _, page = client.request("GET", "/cycles/2022/indicators/QW.ENV")
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nLaporan {n}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"laporan-{n}.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.4\n" + f"% laporan {n}\n".encode() * 2000 + f"\r\n--{BOUNDARY}--\r\n".encode()
    status, _ = client.request("POST", f"/cycles/2022/indicators/QW.ENV/evidence?_csrf={client.csrf(page)}", body,
                               {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    return status

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

def normal(v):
    if isinstance(v, bool): return int(v)
    if isinstance(v, (int, float)): return float(v)
    if isinstance(v, str) and UUID.match(v): return v.lower()
    if isinstance(v, dict): return json.dumps(v, sort_keys=True)
    return v

def tables(path, normalise):
    """{table: sorted rows} of an archive, each row a dict by column name."""
    out = {}
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("pilar-backup.json"))
        for t in manifest["tables"]:
            lines = z.read(f"tables/{t['name']}.jsonl").decode().splitlines()
            cols = json.loads(lines[0])
            rows = []
            for line in lines[1:]:
                values = json.loads(line)
                if normalise: values = [normal(v) for v in values]
                if t["name"] == "_fluent_sessions" and normalise:   # JSON text: compare its meaning
                    values = [json.dumps(json.loads(v), sort_keys=True) if c == "data" else v for c, v in zip(cols, values)]
                rows.append(dict(zip(cols, values)))
            key = "id" if "id" in cols else cols[0]
            out[t["name"]] = {json.dumps(r[key]): r for r in rows}
    return out, manifest

def files(path):
    with zipfile.ZipFile(path) as z:
        return {n.split("/")[-1]: z.read(n) for n in z.namelist() if n.startswith("files/")}

def same_row(x, y):
    """Equal, numbers to within a microsecond: PostgreSQL keeps times to the microsecond, SQLite
    keeps the double the server wrote."""
    if x.keys() != y.keys(): return False
    for k in x:
        a, b = x[k], y[k]
        if isinstance(a, float) and isinstance(b, float):
            if abs(a - b) > 1.5e-6: return False
        elif a != b: return False
    return True

def same_table(ra, rb):
    return ra.keys() == rb.keys() and all(same_row(ra[k], rb[k]) for k in ra)

def same_tables(a, b, normalise, what):
    ta, _ = tables(a, normalise); tb, _ = tables(b, normalise)
    differ = [t for t in ta if not same_table(ta[t], tb.get(t, {}))]
    check(set(ta) == set(tb) and not differ, f"{what}: the same rows in every table ({len(ta)} tables, {sum(map(len, ta.values()))} rows)"
          + (f" — differ: {differ[:5]}" if differ else ""))
    fa, fb = files(a), files(b)
    check(fa == fb and len(fa) > 0, f"{what}: the same bytes in every file ({len(fa)} files)")

def createdb(admin, name):
    subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return admin.rsplit("/", 1)[0] + "/" + name

def main():
    work = tempfile.mkdtemp(prefix="pilar-backup-")
    admin = subprocess.run([os.path.join(ROOT, ".ci/postgres-start")], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    a_data = os.path.join(work, "a"); a_zip = os.path.join(work, "a.zip")
    code, out = pilar(["seed-demo", "--scale", "1"], env(a_data))
    assert code == 0, out

    # 1. A backup while the agency uploads.
    server = serve(env(a_data))
    dlh = Client(); dlh.sign_in("kediri.dlh", "demo-dlh-2022")
    statuses, stop_writing = [], threading.Event()
    def writer():
        n = 0
        while not stop_writing.is_set():
            statuses.append(upload(dlh, n)); n += 1
    t = threading.Thread(target=writer); t.start()
    time.sleep(1)
    code, out = pilar(["backup", "--to", a_zip], env(a_data))
    time.sleep(0.5); stop_writing.set(); t.join(); stop(server)
    check(code == 0 and "Wrote" in out, f"pilar backup while the server writes: {out.strip().splitlines()[-1] if out.strip() else code}")
    check(len(statuses) > 3 and all(s == 303 for s in statuses), f"{len(statuses)} uploads during the backup all stored (303)")
    with zipfile.ZipFile(a_zip) as z:
        check(z.testzip() is None, "the archive opens in Python's zipfile and every entry's CRC matches")
        manifest = json.loads(z.read("pilar-backup.json"))
        names = set(z.namelist())
    ta, _ = tables(a_zip, False)
    shas = {r["sha256"] for r in ta["evidence_versions"].values()}
    check(shas and all(f"files/{s[:2]}/{s}" in names for s in shas),
          f"a consistent snapshot: all {len(shas)} files its {len(ta['evidence_versions'])} evidence versions name are in it")
    db = sqlite3.connect(os.path.join(a_data, "pilar.sqlite"))
    later = db.execute("select count(*) from evidence_versions").fetchone()[0]
    check(later >= len(ta["evidence_versions"]), f"the city went on ({later} versions after, {len(ta['evidence_versions'])} in the snapshot)")

    # 2. SQLite -> SQLite.
    b_data = os.path.join(work, "b"); b_zip = os.path.join(work, "b.zip")
    code, out = pilar(["restore", a_zip], env(b_data))
    check(code == 0 and "Restored" in out, f"restore into an empty data folder: {out.strip().splitlines()[-1]}")
    code, out = pilar(["files", "check"], env(b_data))
    check(code == 0, f"files check on the restored folder: {out.strip().splitlines()[-1]}")
    pilar(["backup", "--to", b_zip], env(b_data))
    same_tables(a_zip, b_zip, False, "SQLite -> SQLite")
    fa = files(a_zip)
    on_disk = all(open(os.path.join(b_data, "files", s[:2], s), "rb").read() == data for s, data in fa.items())
    check(on_disk, "the restored folder's files are the archive's bytes")

    # 3. SQLite -> PostgreSQL, files in the folder and in the database.
    for files_kind in (None, "postgres"):
        name = "pilar_restore_" + (files_kind or "folder")
        url = createdb(admin, name)
        c_data = os.path.join(work, name); c_zip = os.path.join(work, name + ".zip")
        e = env(c_data, url, files_kind)
        code, out = pilar(["restore", a_zip], e)
        check(code == 0 and "into postgres" in out, f"SQLite -> PostgreSQL ({files_kind or 'folder'} files): {out.strip().splitlines()[-1]}")
        code, out = pilar(["files", "check"], e)
        check(code == 0, f"files check on PostgreSQL ({files_kind or 'folder'} files): {out.strip().splitlines()[-1]}")
        pilar(["backup", "--to", c_zip], e)
        same_tables(a_zip, c_zip, True, f"SQLite -> PostgreSQL ({files_kind or 'folder'} files)")
        if files_kind == "postgres":
            kept = [f for r, _, fs in os.walk(os.path.join(c_data, "files")) for f in fs if "tmp" not in r]
            check(not kept, "with PILAR_FILES=postgres no file is kept in the data folder")
            server = serve(e)
            client = Client(); client.sign_in("kediri.kominfo", "demo-kominfo-2022")
            version = next(r for r in ta["evidence_versions"].values() if r["original_name"].startswith("laporan-"))
            status, body = client.request("GET", f"/evidence/{version['evidence_id'].lower()}/file")
            stop(server)
            check(status == 200 and body == fa[version["sha256"]],
                  f"the PostgreSQL city serves: the coordinator downloads a file kept in the database ({status}, {len(body)} bytes, byte-exact)")

    # 4. Refused, restoring nothing.
    raw = open(a_zip, "rb").read()
    with zipfile.ZipFile(a_zip) as z:
        info = z.getinfo("tables/regions.jsonl")
    damaged = bytearray(raw); at = info.header_offset + 30 + len(info.filename) + 40; damaged[at] ^= 0x20
    cases = {"damaged.zip": bytes(damaged), "truncated.zip": raw[: len(raw) // 2], "not-a-backup.zip": b"PK\x03\x04 not really"}
    for fname, content in cases.items():
        path = os.path.join(work, fname); open(path, "wb").write(content)
        d = os.path.join(work, "target-" + fname)
        code, out = pilar(["restore", path], env(d))
        message = [l for l in out.splitlines() if "Not restored" in l]
        db = sqlite3.connect(os.path.join(d, "pilar.sqlite"))
        regions = db.execute("select count(*) from regions").fetchone()[0]
        users = db.execute("select count(*) from users").fetchone()[0]
        stored = [f for r, _, fs in os.walk(os.path.join(d, "files")) for f in fs]
        check(code == 1 and message and regions == 0 and users == 0 and not stored,
              f"{fname} refused, nothing restored: {message[0] if message else out[-300:]}")
    code, out = pilar(["restore", a_zip], env(b_data))
    check(code == 1 and "not empty" in out, "a restore into a data folder that holds a city is refused")

    if not failures: shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("backup: all checks passed")

main()
