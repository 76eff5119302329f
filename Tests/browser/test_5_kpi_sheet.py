"""The KPI spreadsheet round-trip as an agency does it: download the sheet, fill it in (here with
openpyxl, as Excel would), upload it back; a sheet with a wrong number or an unknown KPI is refused
with its row named and nothing changed."""
import http.cookiejar
import io
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import openpyxl

from conftest import BASE


class Session:
    def __init__(self, username, password):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/signin")[1].decode()
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        self.post_form("/signin", {"username": username, "password": password, "_csrf": token})
        self.csrf = re.search(r'name="_csrf" value="([^"]+)"', self.get("/programmes")[1].decode()).group(1)

    def get(self, path):
        try:
            r = self.opener.open(BASE + path)
            return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def post_form(self, path, fields):
        try:
            r = self.opener.open(BASE + path, urllib.parse.urlencode(fields).encode())
            return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def upload(self, data):
        boundary = "pilar" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kpi.xlsx\"\r\n"
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(BASE + "/programmes/kpis.xlsx?_csrf=" + self.csrf, data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            r = self.opener.open(req)
            return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def realisation(session, kpi_name, period):
    import json
    _, body = session.get("/api/v1/programmes")
    for programme in json.loads(body):
        for kpi in programme["kpis"]:
            if kpi["name"] == kpi_name:
                for r in kpi["realisations"]:
                    if r["period"] == period:
                        return r["value"], r["note"]
    return None


def test_kpi_sheet_round_trip_with_openpyxl():
    dlh = Session("kediri.dlh", "demo-dlh-2022")
    status, data = dlh.get("/programmes/kpis.xlsx?year=2022")
    assert status == 200
    book = load(data)
    assert book.sheetnames == ["Realisasi", "Petunjuk"]
    sheet = book["Realisasi"]
    header = [c.value for c in sheet[1]]
    assert header == ["ID KPI", "Program", "KPI", "Satuan", "Periode", "Target", "Realisasi", "Catatan"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # only DLH's own programme: four KPIs, twelve months each, figures up to September
    assert len(rows) == 4 * 12
    assert {r[1] for r in rows} == {"Bank Sampah: tabungan sampah warga"}
    september = next(r for r in rows if r[2] == "Nasabah" and r[4] == "2022-09")
    assert september[5] == 10150 and september[6] == 10190

    # fill in October for every KPI, as Excel would save it
    for row in sheet.iter_rows(min_row=2):
        if row[4].value == "2022-10":
            row[6].value = 123 if row[2].value != "Nasabah" else 10400
            row[7].value = "diisi di Excel"
    status, _ = dlh.upload(save(book))
    assert status in (200, 303)
    assert realisation(dlh, "Nasabah", "2022-10") == (10400, "diisi di Excel")

    # a wrong number and an unknown KPI: refused, rows named, nothing changed
    book = load(dlh.get("/programmes/kpis.xlsx?year=2022")[1])
    sheet = book["Realisasi"]
    bad_row = next(i for i, r in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2) if r[2] == "Nasabah" and r[4] == "2022-11")
    sheet.cell(row=bad_row, column=7).value = "sepuluh ribu"
    sheet.cell(row=bad_row + 1, column=7).value = 10600
    sheet.cell(row=bad_row + 1, column=1).value = str(uuid.uuid4()).upper()
    good_row = next(i for i, r in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2) if r[2] == "Bank sampah" and r[4] == "2022-11")
    sheet.cell(row=good_row, column=7).value = 222
    status, body = dlh.upload(save(book))
    assert status == 422
    text = body.decode()
    assert f"<td class=\"num\">{bad_row}</td><td>G</td>" in text
    assert f"<td class=\"num\">{bad_row + 1}</td><td>A</td>" in text
    assert realisation(dlh, "Bank sampah", "2022-11") is None
    assert realisation(dlh, "Nasabah", "2022-11") is None

    # another agency's sheet does not carry DLH's KPIs
    dinkes = Session("kediri.dinkes", "demo-dinkes-2022")
    rows = list(load(dinkes.get("/programmes/kpis.xlsx?year=2022")[1])["Realisasi"].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"Home Care: layanan kesehatan di rumah"}
