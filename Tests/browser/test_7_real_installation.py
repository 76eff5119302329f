"""Browser journey from an empty installation (started with PILAR_SEED_DEMO=false, no command line
after the first start): the operator creates Kota Madiun and its admin; the admin sets the region's
details and logo, imports agencies from an XLSX written by openpyxl, marks Diskominfo as the
coordinator, imports users and reads their slips, sets the pillar owners; the coordinator creates
the first cycle on the model instrument and assigns indicators; an agency user answers one
indicator and the coordinator verifies it; the printed report shows Kota Madiun's letterhead, logo
and signature block."""
import base64
import os
import re
import tempfile

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import shot, sign_in, sign_out, wait_for_text, wait_for_url

EMPTY = os.environ.get("PILAR_EMPTY_URL", "http://127.0.0.1:8182")
OPERATOR_PASSWORD = os.environ.get("PILAR_EMPTY_ADMIN_PASSWORD", "browser-operator-pw")
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#1b5e8a"/>'
        '<text x="32" y="40" font-size="22" text-anchor="middle" fill="#fff">KM</text></svg>')


def workbook(path, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def upload_sheet(browser, path):
    browser.find_element(By.ID, "sheet-file").send_keys(path)
    browser.find_element(By.ID, "sheet-file").submit()


def test_a_city_sets_up_from_an_empty_installation(browser):
    work = tempfile.mkdtemp()
    # the operator's first page asks for the first region and its admin
    sign_in(browser, "admin", OPERATOR_PASSWORD, base=EMPTY)
    wait_for_text(browser, "Wilayah pertama")
    assert browser.current_url.endswith("/operator/regions")
    shot(browser, "install-operator-first.png")
    browser.find_element(By.ID, "op-name").send_keys("Kota Madiun")
    browser.find_element(By.ID, "op-code").send_keys("kota-madiun")
    Select(browser.find_element(By.ID, "op-kind")).select_by_value("kota")
    browser.find_element(By.ID, "op-province").send_keys("Jawa Timur")
    browser.find_element(By.ID, "op-admin").send_keys("admin")
    browser.find_element(By.ID, "op-admin-name").send_keys("Admin Kota Madiun")
    browser.find_element(By.ID, "op-admin-name").submit()
    wait_for_text(browser, "Wilayah dibuat")
    admin_password = browser.find_element(By.CSS_SELECTOR, "code.password").text
    assert len(admin_password) == 16 and "kota-madiun.admin" in browser.page_source
    sign_out(browser)

    # the region's admin follows the checklist: details and logo
    sign_in(browser, "kota-madiun.admin", admin_password, base=EMPTY)
    wait_for_text(browser, "Menyiapkan wilayah")
    shot(browser, "install-checklist.png")
    browser.get(EMPTY + "/admin/region")
    address = browser.find_element(By.ID, "rg-address")
    address.clear()
    address.send_keys("Jl. Pahlawan No. 37, Kota Madiun")
    browser.find_element(By.ID, "rg-phone").send_keys("(0351) 467327")
    browser.find_element(By.ID, "rg-signer").send_keys("Dr. Contoh Kepala, S.Kom., M.M.")
    browser.find_element(By.ID, "rg-nip").send_keys("197501012000031001")
    browser.find_element(By.ID, "rg-nip").submit()
    wait_for_text(browser, "disimpan")
    logo = os.path.join(work, "logo-madiun.svg")
    with open(logo, "w") as f:
        f.write(LOGO)
    browser.find_element(By.ID, "rg-logo").send_keys(logo)
    browser.find_element(By.ID, "rg-logo").submit()
    # the page comes back with the logo shown (the address was ?saved=1 already)
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".logo-preview img"))

    # agencies from a spreadsheet written by openpyxl, Diskominfo marked as the coordinator
    browser.get(EMPTY + "/admin/agencies")
    upload_sheet(browser, workbook(os.path.join(work, "opd.xlsx"), "Perangkat daerah", [
        ["Kode", "Nama", "Jabatan kepala"],
        ["DISKOMINFO", "Dinas Komunikasi dan Informatika", "Kepala Dinas Komunikasi dan Informatika"],
        ["DLH", "Dinas Lingkungan Hidup", "Kepala Dinas Lingkungan Hidup"],
        ["DINKES", "Dinas Kesehatan", ""],
    ]))
    wait_for_text(browser, "Lembar diterima: 3 baru, 0 diubah.")
    row = browser.find_element(By.XPATH, "//tr[td//strong[text()='DISKOMINFO'] or td[text()='DISKOMINFO']]")
    row.find_element(By.CSS_SELECTOR, "form[action$='/coordinator'] button").click()
    wait_for_text(browser, "koordinator")
    shot(browser, "install-agencies.png")

    # users from a spreadsheet; their slips carry one-time passwords
    browser.get(EMPTY + "/admin/users")
    upload_sheet(browser, workbook(os.path.join(work, "pengguna.xlsx"), "Pengguna", [
        ["Nama pengguna", "Nama tampilan", "Peran", "Kode perangkat daerah", "E-mail"],
        ["kominfo", "Koordinator Diskominfo", "coordinator", "DISKOMINFO", "kominfo@madiunkota.example"],
        ["dlh", "Operator DLH", "agency", "DLH", ""],
    ]))
    wait_for_text(browser, "Lembar kata sandi pengguna baru")
    shot(browser, "install-slips.png")
    slips = {}
    for slip in browser.find_elements(By.CSS_SELECTOR, ".slip"):
        codes = [c.text for c in slip.find_elements(By.CSS_SELECTOR, "dd code")]
        slips[codes[1]] = codes[2]
    assert set(slips) == {"kota-madiun.kominfo", "kota-madiun.dlh"}

    # pillar owners: Diskominfo leads each pillar, DLH the environment
    browser.get(EMPTY + "/admin/pillars")
    for code in ["governance", "branding", "economy", "living", "society", "environment"]:
        browser.get(EMPTY + "/admin/pillars")
        browser.find_element(By.XPATH, f"//select[@id='lead-{code}']/ancestor::details/summary").click()
        lead = "DLH" if code == "environment" else "DISKOMINFO"
        Select(browser.find_element(By.ID, f"lead-{code}")).select_by_visible_text(
            next(o.text for o in Select(browser.find_element(By.ID, f"lead-{code}")).options if o.text.startswith(lead)))
        browser.find_element(By.ID, f"lead-{code}").submit()
        wait_for_url(browser, "/admin/pillars")
    sign_out(browser)

    # the coordinator creates the first cycle on the model instrument and assigns the environment to DLH
    sign_in(browser, "kota-madiun.kominfo", slips["kota-madiun.kominfo"], base=EMPTY)
    browser.get(EMPTY + "/admin/cycles")
    browser.find_element(By.ID, "year").clear()
    browser.find_element(By.ID, "year").send_keys("2023")
    instrument = Select(browser.find_element(By.ID, "instrument"))
    instrument.select_by_visible_text(next(o.text for o in instrument.options if "Smart City" in o.text))
    browser.find_element(By.ID, "year").submit()
    wait_for_text(browser, "2023")
    browser.get(EMPTY + "/cycles/2023/assignments")
    browser.find_element(By.CSS_SELECTOR, "input[name=scope][value=pillar]").click()
    Select(browser.find_element(By.CSS_SELECTOR, ".card.bulk select[name=pillar]")).select_by_value("environment")
    lead = Select(browser.find_element(By.ID, "lead"))
    lead.select_by_visible_text(next(o.text for o in lead.options if o.text.startswith("DLH")))
    browser.find_element(By.CSS_SELECTOR, ".card.bulk button[type=submit]").click()
    wait_for_text(browser, "Penugasan disimpan untuk")
    sign_out(browser)

    # the agency answers one indicator
    sign_in(browser, "kota-madiun.dlh", slips["kota-madiun.dlh"], base=EMPTY)
    browser.get(EMPTY + "/my/indicators")
    wait_for_text(browser, "QW.ENV")
    browser.find_element(By.PARTIAL_LINK_TEXT, "QW.ENV").click()
    pdf = os.path.join(work, "laporan-bank-sampah.pdf")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    browser.find_element(By.ID, "ev-title").send_keys("Laporan bank sampah 2023")
    browser.find_element(By.ID, "ev-file").send_keys(pdf)
    browser.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button[type=submit]").click()
    wait_for_text(browser, "Bukti dukung tersimpan.")
    Select(browser.find_element(By.ID, "level")).select_by_value("3")
    browser.find_element(By.ID, "justification").send_keys("Bank sampah aktif di 27 kelurahan; laporan terlampir.")
    browser.find_element(By.CSS_SELECTOR, "button[name=action][value=submit]").click()
    wait_for_text(browser, "Terkirim ke koordinator.")
    sign_out(browser)

    # the coordinator verifies it; the printed report carries Kota Madiun's letterhead, logo and signer
    sign_in(browser, "kota-madiun.kominfo", slips["kota-madiun.kominfo"], base=EMPTY)
    browser.get(EMPTY + "/cycles/2023/indicators/QW.ENV")
    wait_for_text(browser, "Verifikasi koordinator")
    Select(browser.find_element(By.ID, "verified_level")).select_by_value("3")
    browser.find_element(By.ID, "note").send_keys("Sesuai.")
    browser.find_element(By.CSS_SELECTOR, "button[name=action][value=verify]").click()
    wait_for_text(browser, "Terverifikasi")
    browser.get(EMPTY + "/cycles/2023/report")
    wait_for_text(browser, "PEMERINTAH KOTA MADIUN")
    head = browser.find_element(By.CSS_SELECTOR, ".letterhead").text
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in head and "Jl. Pahlawan No. 37" in head and "(0351) 467327" in head
    img = browser.find_element(By.CSS_SELECTOR, ".letterhead img.logo")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Kepala Dinas Komunikasi dan Informatika" in body
    assert "Dr. Contoh Kepala, S.Kom., M.M." in body and "NIP. 197501012000031001" in body
    assert re.search(r"Madiun, \d+ \w+ \d{4}", body)
    shot(browser, "install-report.png", width=900)
