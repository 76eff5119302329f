"""Browser journeys in headless Chromium (selenium): sign-in, home page, language, sign-out.

Run by .ci/run against a server it starts; PILAR_URL names it (default http://127.0.0.1:8181).
Screenshots go to PILAR_SCREENSHOTS (default /tmp/pilar-screenshots).
"""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("PILAR_URL", "http://127.0.0.1:8181")
SHOTS = os.environ.get("PILAR_SCREENSHOTS", "/tmp/pilar-screenshots")


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=id"):
        options.add_argument(arg)
    binary = "/usr/bin/chromium"
    if os.path.exists(binary):
        options.binary_location = binary
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def shot(driver, name, width=1280):
    os.makedirs(SHOTS, exist_ok=True)
    driver.set_window_size(width, 1000)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(600, height))
    driver.save_screenshot(os.path.join(SHOTS, name))


def wait_for_text(driver, text):
    """Waits until the page (after a click that navigates) shows `text`."""
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def wait_for_url(driver, part):
    WebDriverWait(driver, 10).until(lambda d: part in d.current_url)


def sign_in(driver, username, password):
    driver.get(BASE + "/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()


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
    assert "Nama pengguna atau kata sandi salah." in browser.find_element(By.CSS_SELECTOR, ".alert").text
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
