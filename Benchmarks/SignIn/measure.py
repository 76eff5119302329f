import http.cookiejar, re, statistics, sys, time, urllib.parse, urllib.request, urllib.error
BASE = sys.argv[1]
def session():
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = op.open(BASE + "/signin").read().decode()
    return op, re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
def attempt(user, pw):
    op, token = session()
    data = urllib.parse.urlencode({"username": user, "password": pw, "_csrf": token}).encode()
    t = time.perf_counter()
    try:
        r = op.open(BASE + "/signin", data); status = r.status; body = r.read()
    except urllib.error.HTTPError as e:
        status = e.code; body = e.read()
    return (time.perf_counter() - t) * 1000, status, body
for _ in range(5): attempt("kediri.dlh", "salah-sekali")
users = ["kediri.dinkes", "kediri.pimpinan", "kediri.asesor", "kediri.admin"]
rows = {"locked (right password)": [], "unknown name": [], "wrong password": []}
bodies = {}
for i in range(16):
    for label, (u, p) in [("locked (right password)", ("kediri.dlh", "demo-dlh-2022")),
                          ("unknown name", ("tidak.ada%d" % i, "apa-saja-1")),
                          ("wrong password", (users[i % 4], "bukan-ini-%d" % i))]:
        ms, status, body = attempt(u, p)
        rows[label].append(ms)
        alert = re.search(rb'class="alert[^>]*>(.*?)</', body, re.S)
        bodies.setdefault(label, set()).add((status, alert.group(1).strip() if alert else b""))
for label, v in rows.items():
    print("%-26s n=%d median %.1f ms  p10 %.1f  p90 %.1f  answers %s" % (label, len(v), statistics.median(v),
          sorted(v)[1], sorted(v)[-2], [(s, a[:40]) for s, a in bodies[label]]))
