"""Shared set-up for the browser journeys in headless Chromium (selenium).

Run by .ci/run against a server it starts; PILAR_URL names it (default http://127.0.0.1:8181).
Screenshots go to PILAR_SCREENSHOTS (default /tmp/pilar-screenshots).
"""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("PILAR_URL", "http://127.0.0.1:8181")
SHOTS = os.environ.get("PILAR_SCREENSHOTS", "/tmp/pilar-screenshots")


@pytest.fixture
def browser():  # noqa: F811
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
    # While the next page replaces the body, Chromium may answer "node does not belong to the
    # document" (a plain WebDriverException, not a stale element): keep waiting then too.
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException, WebDriverException)).until(
        lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def wait_for_url(driver, part):
    WebDriverWait(driver, 20).until(lambda d: part in d.current_url)


def sign_in(driver, username, password, base=None):
    driver.get((base or BASE) + "/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
    # Waits for the answer (the next page, or the sign-in page with its message): navigating on
    # at once would cancel the form's POST while the server is still checking the password.
    # While the next page replaces the body, Chromium may answer "node does not belong to the
    # document" (a plain WebDriverException, not a stale element): keep waiting then too.
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException, WebDriverException)).until(
        lambda d: "/signin" not in d.current_url or d.find_elements(By.CSS_SELECTOR, ".alert"))




def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
    wait_for_url(driver, "/signin")
