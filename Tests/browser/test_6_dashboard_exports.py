"""Browser journey: the coordinator reads the dashboard, opens the plan and turns its steps into
action items; the assessment, action, programme and audit spreadsheets open in openpyxl; the
evidence bundle is a valid ZIP; the public page shows without signing in."""
import csv
import io
import os
import subprocess
import tempfile
import urllib.request
import zipfile

import openpyxl
from selenium.webdriver.common.by import By

from conftest import BASE, shot, sign_in, wait_for_text


def download(browser, path):
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookies})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, path
        return response.read()


def libreoffice_rows(data):
    """The first sheet as LibreOffice reads it (headless conversion to CSV); fails if it cannot."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "book.xlsx")
        with open(path, "wb") as f:
            f.write(data)
        done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                               "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", folder, path],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with open(os.path.join(folder, "book.csv"), encoding="utf-8") as f:
            return list(csv.reader(f))


def test_dashboard_plan_and_exports(browser):
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Dasbor")
    browser.find_element(By.LINK_TEXT, "Dasbor").click()
    wait_for_text(browser, "Kesiapan evaluasi")
    assert browser.find_element(By.CSS_SELECTOR, "svg[aria-labelledby='radar-t radar-d']")
    shot(browser, "dashboard.png")

    browser.find_element(By.LINK_TEXT, "Rencana mencapai target").click()
    wait_for_text(browser, "Indeks setelah rencana")
    steps = browser.find_elements(By.CSS_SELECTOR, "input[name='step[]']")
    assert steps, "the plan has steps"
    shot(browser, "plan.png")
    browser.find_element(By.ID, "p-due").send_keys("09302022")
    browser.find_element(By.XPATH, "//button[contains(., 'Jadikan rencana aksi')]").click()
    wait_for_text(browser, "rencana aksi dibuat")

    browser.get(BASE + "/cycles/2022/whatif?l_IM.ECO=5")
    wait_for_text(browser, "Indeks simulasi")
    shot(browser, "whatif.png")

    for path, sheets in [("/cycles/2022/export.xlsx", ["Indikator", "Ringkasan"]), ("/actions/export.xlsx", None),
                         ("/programmes/export.xlsx", None), ("/audit/export.xlsx", None),
                         ("/programmes/kpis.xlsx?year=2022", None)]:
        data = download(browser, path)
        book = openpyxl.load_workbook(io.BytesIO(data))
        if sheets:
            assert book.sheetnames == sheets
        for sheet in book.worksheets:
            assert sheet.max_row >= 1
        # LibreOffice reads the same first sheet: same header, same number of rows
        first = book.worksheets[0]
        rows = libreoffice_rows(data)
        assert rows[0] == [c.value or "" for c in first[1]], path
        assert len(rows) == first.max_row, path
    book = openpyxl.load_workbook(io.BytesIO(download(browser, "/cycles/2022/export.xlsx")))
    assert book["Indikator"].max_row == 27
    assert book["Ringkasan"]["A2"].value == "Indeks"
    actions = openpyxl.load_workbook(io.BytesIO(download(browser, "/actions/export.xlsx"))).worksheets[0]
    assert any(str(row[0].value).startswith("Naikkan ") for row in actions.iter_rows(min_row=2))

    bundle = zipfile.ZipFile(io.BytesIO(download(browser, "/cycles/2022/evidence.zip")))
    assert bundle.testzip() is None
    assert {"index.html", "manifest.csv"} <= set(bundle.namelist())

    browser.get(BASE + "/cycles/2022/report")
    wait_for_text(browser, "Kepala")
    shot(browser, "report.png", width=900)

    browser.delete_all_cookies()
    browser.get(BASE + "/public/kota-kediri")
    wait_for_text(browser, "Indeks Smart City resmi per tahun")
    shot(browser, "public.png")
