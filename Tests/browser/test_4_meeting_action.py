"""Browser journey: the coordinator records a meeting and turns a decision into an action item for
DLH; DLH sees it in its inbox and list and completes it; the coordinator sees it done."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, shot, sign_in, sign_out, wait_for_text, wait_for_url


def test_meeting_decision_becomes_an_action_the_agency_completes(browser):
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Rapat")
    browser.get(BASE + "/meetings")
    browser.find_element(By.CSS_SELECTOR, "#new summary").click()
    browser.find_element(By.ID, "m-title").send_keys("Rapat evaluasi pasca Tahap I")
    # a date field takes the date as typed in the browser's locale; set it directly
    browser.execute_script("document.getElementById('m-date').value = '2022-10-07'")
    browser.execute_script("document.getElementById('m-time').value = '13:30'")
    browser.find_element(By.ID, "m-place").send_keys("Ruang Joyoboyo")
    for label in browser.find_elements(By.CSS_SELECTOR, "fieldset.checks label.check"):
        if label.text.strip() in ("DLH", "DINKES"):
            label.find_element(By.TAG_NAME, "input").click()
    browser.find_element(By.ID, "m-decisions").send_keys("DLH mengunggah data tonase Oktober.")
    browser.find_element(By.CSS_SELECTOR, "form[action='/meetings'] button[type=submit]").click()
    wait_for_text(browser, "DLH mengunggah data tonase Oktober.")
    # the decision becomes DLH's action item
    browser.find_element(By.CSS_SELECTOR, "ol.decisions details summary").click()
    title = browser.find_element(By.CSS_SELECTOR, "ol.decisions input[name=title]")
    title.clear()
    title.send_keys("Unggah data tonase Oktober")
    Select(browser.find_element(By.CSS_SELECTOR, "ol.decisions select[name=assignee]")).select_by_visible_text(
        "DLH — Dinas Lingkungan Hidup, Kebersihan dan Pertamanan")
    browser.execute_script("document.querySelector('ol.decisions input[name=due_on]').value = '2030-10-14'")
    browser.find_element(By.CSS_SELECTOR, "ol.decisions button[type=submit]").click()
    wait_for_text(browser, "Unggah data tonase Oktober")
    meeting_url = browser.current_url.split("#")[0]
    shot(browser, "meeting.png")
    sign_out(browser)

    # DLH finds it in the inbox and its list, and completes it
    sign_in(browser, "kediri.dlh", "demo-dlh-2022")
    wait_for_text(browser, "Kotak masuk")
    browser.find_element(By.CSS_SELECTOR, "a.inbox-link").click()
    wait_for_text(browser, "Tugas baru: Unggah data tonase Oktober")
    shot(browser, "inbox.png")
    browser.get(BASE + "/actions")
    wait_for_text(browser, "Unggah data tonase Oktober")
    shot(browser, "actions.png")
    browser.find_element(By.LINK_TEXT, "Unggah data tonase Oktober").click()
    wait_for_text(browser, "Komentar")
    browser.find_element(By.ID, "body").send_keys("Data Oktober sudah diunggah sebagai bukti QW.ENV.")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/comments'] button[type=submit]").click()
    wait_for_text(browser, "Komentar dikirim.")
    Select(browser.find_element(By.ID, "st")).select_by_value("done")
    browser.find_element(By.CSS_SELECTOR, "form.inline-form button[type=submit]").click()
    wait_for_text(browser, "Status disimpan.")
    assert "Diselesaikan oleh" in browser.find_element(By.TAG_NAME, "body").text
    sign_out(browser)

    # the coordinator sees it done on the meeting page
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Rapat")
    browser.get(meeting_url)
    decisions = browser.find_element(By.CSS_SELECTOR, "ol.decisions").text
    assert "Unggah data tonase Oktober" in decisions and "Selesai" in decisions
    # and in the action list, filtered to DLH's items including the closed ones
    browser.get(BASE + "/actions")
    Select(browser.find_element(By.ID, "f-show")).select_by_value("all")
    Select(browser.find_element(By.ID, "f-agency")).select_by_value("DLH")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for_url(browser, "agency=DLH")
    rows = browser.find_element(By.CSS_SELECTOR, "table.actions").text
    assert "Unggah data tonase Oktober" in rows and "Selesai" in rows
    assert "Bahan paparan e-SPTPD" not in rows
