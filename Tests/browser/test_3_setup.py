"""Browser journey: the coordinator signs up a new agency user (the one-time password works),
assigns a pillar's indicators to an agency in one step, and records official scores."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, shot, sign_in, sign_out, wait_for_text, wait_for_url


def test_coordinator_sets_up_users_assignments_and_official_scores(browser):
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Pengaturan")
    browser.find_element(By.LINK_TEXT, "Pengaturan").click()
    wait_for_url(browser, "/admin/agencies")
    shot(browser, "setup-agencies.png")

    # a new user for Dinas Sosial
    browser.get(BASE + "/admin/users")
    browser.find_element(By.ID, "username").send_keys("kediri.dinsos")
    browser.find_element(By.ID, "display_name").send_keys("Operator Dinas Sosial")
    Select(browser.find_element(By.ID, "role")).select_by_value("agency")
    Select(browser.find_element(By.ID, "agency")).select_by_visible_text("DINSOS — Dinas Sosial")
    browser.find_element(By.CSS_SELECTOR, "form[action='/admin/users'] button[type=submit]").click()
    wait_for_text(browser, "Kata sandi awal untuk")
    password = browser.find_element(By.CSS_SELECTOR, "code.password").text
    assert len(password) == 16
    shot(browser, "setup-users.png")

    # every society indicator to Dinas Sosial, with target level 4
    browser.get(BASE + "/cycles/2022/assignments")
    browser.find_element(By.CSS_SELECTOR, "input[name=scope][value=pillar]").click()
    Select(browser.find_element(By.CSS_SELECTOR, ".card.bulk select[name=pillar]")).select_by_value("society")
    Select(browser.find_element(By.ID, "lead")).select_by_visible_text("DINSOS — Dinas Sosial")
    Select(browser.find_element(By.ID, "target")).select_by_value("4")
    browser.find_element(By.CSS_SELECTOR, ".card.bulk button[type=submit]").click()
    wait_for_text(browser, "Penugasan disimpan untuk 3 indikator.")
    row = browser.find_element(By.ID, "pick-QW.SOC").find_element(By.XPATH, "./ancestor::tr")
    assert "DINSOS" in row.text
    shot(browser, "assignments.png")

    # official scores from the letter
    browser.get(BASE + "/cycles/2022/official")
    browser.find_element(By.ID, "f-index").send_keys("3,41")
    browser.find_element(By.ID, "f-indicator_QW.SOC").send_keys("4")
    browser.find_element(By.CSS_SELECTOR, "form.official button[type=submit]").click()
    wait_for_text(browser, "Nilai resmi disimpan.")
    assert browser.find_element(By.ID, "f-index").get_attribute("value") == "3,41"
    shot(browser, "official.png")
    browser.get(BASE + "/admin/cycles")
    shot(browser, "setup-cycles.png")
    sign_out(browser)

    # the new user signs in with the one-time password and sees the society indicators
    sign_in(browser, "kediri.dinsos", password)
    browser.get(BASE + "/my/indicators")
    wait_for_text(browser, "QW.SOC")
