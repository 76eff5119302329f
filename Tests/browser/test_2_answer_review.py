"""Browser journey: an agency answers an indicator and uploads a PDF, the coordinator returns it,
the agency fixes and resubmits, the coordinator verifies, and the home page's verified index moves."""
import os
import tempfile
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, shot, sign_in, sign_out, wait_for_text, wait_for_url


def answer(driver, level, text, action):
    Select(driver.find_element(By.ID, "level")).select_by_value(level)
    box = driver.find_element(By.ID, "justification")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, f"button[name=action][value={action}]").click()


def review(driver, level, note, action):
    Select(driver.find_element(By.ID, "verified_level")).select_by_value(level)
    box = driver.find_element(By.ID, "note")
    box.clear()
    box.send_keys(note)
    driver.find_element(By.CSS_SELECTOR, f"button[name=action][value={action}]").click()


def test_answer_return_fix_verify(browser):
    # the agency (Dinas Lingkungan Hidup) opens its work list and the returned quick win
    sign_in(browser, "kediri.dlh", "demo-dlh-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    browser.find_element(By.LINK_TEXT, "Indikator saya").click()
    wait_for_text(browser, "Indikator yang diampu")
    shot(browser, "my-indicators.png")
    browser.find_element(By.PARTIAL_LINK_TEXT, "QW.ENV").click()
    wait_for_text(browser, "Dikembalikan oleh koordinator")
    # upload a PDF as evidence
    pdf = os.path.join(tempfile.mkdtemp(), "laporan-tonase-2022.pdf")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    browser.find_element(By.ID, "ev-title").send_keys("Laporan tonase bank sampah 2022")
    browser.find_element(By.ID, "ev-file").send_keys(pdf)
    browser.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button[type=submit]").click()
    wait_for_text(browser, "Bukti dukung tersimpan.")
    assert "laporan-tonase-2022.pdf" in browser.find_element(By.ID, "evidence").text
    shot(browser, "indicator-agency.png")
    answer(browser, "4", "Data tonase Januari-Agustus 2022 terlampir.", "submit")
    wait_for_text(browser, "Terkirim ke koordinator.")
    sign_out(browser)

    # the coordinator sees it in the review queue and returns it with a note
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    before = browser.find_element(By.CSS_SELECTOR, ".layer-verified .layer-value").text
    assert before == "3,23"
    browser.find_element(By.LINK_TEXT, "Tinjauan").click()
    wait_for_text(browser, "Antrean tinjauan")
    shot(browser, "review-queue.png")
    browser.find_element(By.PARTIAL_LINK_TEXT, "QW.ENV").click()
    wait_for_text(browser, "Verifikasi koordinator")
    review(browser, "3", "Tambahkan daftar bank sampah aktif.", "return")
    wait_for_text(browser, "Dikembalikan ke perangkat daerah dengan catatan.")
    sign_out(browser)

    # the agency reads the note, fixes and resubmits
    sign_in(browser, "kediri.dlh", "demo-dlh-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    browser.find_element(By.LINK_TEXT, "Indikator saya").click()
    wait_for_text(browser, "Tambahkan daftar bank sampah aktif.")
    browser.find_element(By.PARTIAL_LINK_TEXT, "QW.ENV").click()
    wait_for_text(browser, "Tambahkan daftar bank sampah aktif.")
    answer(browser, "4", "Daftar 120 bank sampah aktif terlampir.", "submit")
    wait_for_text(browser, "Terkirim ke koordinator.")
    sign_out(browser)

    # the coordinator verifies; the verified index rises from 3,23 to 3,25
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    browser.get(BASE + "/cycles/2022/indicators/QW.ENV")
    wait_for_text(browser, "Verifikasi koordinator")
    review(browser, "4", "Lengkap.", "verify")
    wait_for_text(browser, "Terverifikasi.")
    shot(browser, "indicator-verified.png")
    browser.find_element(By.LINK_TEXT, "Beranda").click()
    wait_for_text(browser, "Siklus evaluasi 2022")
    assert browser.find_element(By.CSS_SELECTOR, ".layer-verified .layer-value").text == "3,25"
