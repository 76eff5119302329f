"""Browser journeys in headless Chromium: sign-in, home page, language, sign-out."""
from selenium.webdriver.common.by import By

from conftest import BASE, shot, sign_in, wait_for_text, wait_for_url


def test_coordinator_sees_index_against_target(browser):
    browser.get(BASE + "/")
    assert "/signin" in browser.current_url  # not signed in yet
    shot(browser, "signin.png", width=900)
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    assert browser.current_url.rstrip("/") == BASE
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Kota Kediri" in body
    assert "Siklus evaluasi 2022" in body
    verified = browser.find_element(By.CSS_SELECTOR, ".layer-verified .layer-value").text
    assert verified == "3,23"
    assert "Kurang 0,17" in browser.find_element(By.CSS_SELECTOR, ".layer-verified").text
    assert "3,40" in body  # the target
    assert len(browser.find_elements(By.CSS_SELECTOR, ".grid2 table tbody tr")) == 11  # 5 dimensions + 6 pillars
    shot(browser, "home.png")
    shot(browser, "home-phone.png", width=390)

    # English, then back
    browser.set_window_size(1280, 1000)
    browser.find_element(By.CSS_SELECTOR, "form[action='/lang'] button").click()
    wait_for_text(browser, "Evaluation cycle 2022")
    assert browser.find_element(By.CSS_SELECTOR, ".layer-verified .layer-value").text == "3.23"
    browser.find_element(By.CSS_SELECTOR, "form[action='/lang'] button").click()
    wait_for_text(browser, "Siklus evaluasi 2022")

    # sign out
    browser.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
    wait_for_url(browser, "/signin")
    browser.get(BASE + "/")
    assert "/signin" in browser.current_url


def test_wrong_password_keeps_username_and_says_why(browser):
    sign_in(browser, "kediri.dinkes", "salah-sandi")
    wait_for_text(browser, "kata sandi salah")
    assert "Nama pengguna atau kata sandi salah" in browser.find_element(By.CSS_SELECTOR, ".alert").text
    assert browser.find_element(By.ID, "username").get_attribute("value") == "kediri.dinkes"
    shot(browser, "signin-error.png", width=900)
    browser.find_element(By.ID, "password").send_keys("demo-dinkes-2022")
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    wait_for_text(browser, "Siklus evaluasi 2022")
    assert "Operator Dinas Kesehatan" in browser.find_element(By.CSS_SELECTOR, ".who").text


def test_assessor_sees_no_self_assessment_layer(browser):
    sign_in(browser, "kediri.asesor", "demo-asesor-2022")
    wait_for_text(browser, "Siklus evaluasi 2022")
    layers = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".layer-label")]
    assert layers == ["Target", "Terverifikasi", "Resmi"]
