#!/usr/bin/env python3
"""Writes through Pilar's real forms at a fixed rate while the benchmark reads, as people work:
in turn an agency saves a draft answer, the coordinator verifies an indicator, the coordinator
comments on an action item. Each write first opens the page its form is on (for the form's
revision and CSRF token), as a browser does. Runs until killed (SIGTERM) or for --seconds; prints
how many writes were made, how many failed and their median and 99th-percentile time.

  writer.py --base http://127.0.0.1:8198 --agency COOKIE --coordinator COOKIE \
            --drafts CODE,CODE --verify CODE,CODE,... --actions UUID,UUID --rate 5
"""
import argparse, http.client, itertools, re, signal, sys, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--base", required=True)
p.add_argument("--agency", required=True, help="the agency user's session cookie (name=value)")
p.add_argument("--coordinator", required=True, help="the coordinator's session cookie (name=value)")
p.add_argument("--drafts", required=True, help="indicator codes open for the agency")
p.add_argument("--verify", required=True, help="indicator codes the coordinator verifies")
p.add_argument("--actions", required=True, help="action item ids the coordinator comments on")
p.add_argument("--year", default="2022")
p.add_argument("--rate", type=float, default=5.0, help="writes per second")
p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until killed)")
args = p.parse_args()

url = urllib.parse.urlparse(args.base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
stop = False
signal.signal(signal.SIGTERM, lambda *_: globals().__setitem__("stop", True))
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')

def request(method, path, cookie, body=None):
    global conn
    headers = {"Cookie": cookie}
    if body is not None:
        body = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    for attempt in range(2):
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            if attempt: raise

def form_write(cookie, page, fields):
    status, html = request("GET", page, cookie)
    if status != 200: return f"GET {page}: {status}"
    token = CSRF.search(html)
    revision = REVISION.search(html)
    body = {"_csrf": token.group(1) if token else ""}
    if revision: body["revision"] = revision.group(1)
    body.update(fields)
    status, _ = request("POST", page, cookie, body)
    return None if status == 303 else f"POST {page}: {status}"

drafts = itertools.cycle(args.drafts.split(","))
verify = itertools.cycle(args.verify.split(","))
actions = itertools.cycle(args.actions.split(","))
n = itertools.count()

def draft():
    code = next(drafts); i = next(n)
    return form_write(args.agency, f"/cycles/{args.year}/indicators/{code}",
                      {"action": "save", "level": str(2 + i % 3), "justification": f"Draf ke-{i} dari pengukuran.",
                       "confirm_no_evidence": "1"})

def verified():
    code = next(verify); i = next(n)
    return form_write(args.coordinator, f"/cycles/{args.year}/indicators/{code}",
                      {"action": "verify", "verified_level": str(1 + i % 4), "note": f"Verifikasi ke-{i}."})

def comment():
    item = next(actions); i = next(n)
    page = f"/actions/{item}"
    status, html = request("GET", page, args.coordinator)
    if status != 200: return f"GET {page}: {status}"
    token = CSRF.search(html)
    status, _ = request("POST", f"{page}/comments", args.coordinator,
                        {"_csrf": token.group(1) if token else "", "body": f"Tindak lanjut ke-{i}."})
    return None if status == 303 else f"POST {page}/comments: {status}"

kinds = itertools.cycle([draft, verified, comment])
times, failures, started = [], [], time.monotonic()
due = started
while not stop and (args.seconds == 0 or time.monotonic() - started < args.seconds):
    now = time.monotonic()
    if now < due:
        time.sleep(due - now)
        continue
    due += 1 / args.rate
    t0 = time.monotonic()
    error = next(kinds)()
    times.append(time.monotonic() - t0)
    if error: failures.append(error)
elapsed = time.monotonic() - started
times.sort()
def pct(q): return f"{1000 * times[min(len(times) - 1, int(q * len(times)))]:.0f} ms" if times else "-"
print(f"writes: {len(times)} in {elapsed:.0f} s ({len(times) / elapsed:.1f}/s), failed {len(failures)}, "
      f"page + form p50 {pct(0.5)}, p99 {pct(0.99)}" + (f"; first failure: {failures[0]}" if failures else ""))
