"""Accessibility: axe-core run on every page of the journeys — as the coordinator, an agency
user and a visitor — in both languages, at a phone's width (360 px) and a laptop's (1280 px).
Fails on any violation axe rates serious or critical, naming the page, the rule and the element.

axe-core 4.x comes from PyPI (the `axe-playwright-python` package bundles its `axe.min.js`; only
that file is used, injected through selenium). `axe-selenium-python` bundles an axe from 2017
whose rules predate HTML 5.2: it calls `<div>` groups inside `<dl>` and visually hidden labels
errors, which current axe and the HTML standard do not.
"""
import importlib.util
import os
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import BASE, sign_in, wait_for_url

AXE = open(os.path.join(list(importlib.util.find_spec("axe_playwright_python").submodule_search_locations)[0],
                        "axe.min.js")).read()
WIDTHS = (360, 1280)


def violations(driver, path):
    driver.get(BASE + path)
    driver.execute_script(AXE)
    driver.set_script_timeout(60)
    result = driver.execute_async_script("axe.run(document).then(arguments[arguments.length - 1])")
    return [f"{path} @{driver.get_window_size()['width']}px: {v['id']} ({v['impact']}) on {v['nodes'][0]['target']}"
            f" — {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]


def language(driver, lang):
    """Switches the interface language with the header's own button, when it is not `lang` yet."""
    if driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang:
        return
    driver.find_element(By.CSS_SELECTOR, "form[action='/lang'] button").click()
    driver.implicitly_wait(5)


def first(driver, path, pattern):
    driver.get(BASE + path)
    found = re.search(pattern, driver.page_source)
    return found.group(0).strip('"') if found else None


def with_first_of_each(driver, pages, listings):
    """`pages` and, for each (list, link pattern), the first page that list links to."""
    pages = list(pages)
    for listing, pattern in listings:
        page = first(driver, listing, pattern)
        if page:
            pages.append(page)
    return pages


INDICATOR = ("/my/indicators", r'/cycles/2022/indicators/[^"?#]+"')
ACTION = ("/actions", r'/actions/[0-9A-Fa-f-]{36}"')
PROGRAMME = ("/programmes", r'/programmes/[0-9A-Fa-f-]{36}"')
MEETING = ("/meetings", r'/meetings/[0-9A-Fa-f-]{36}"')


def scan(driver, pages):
    problems = []
    for lang in ("id", "en"):
        driver.get(BASE + pages[0])
        language(driver, lang)
        for width in WIDTHS:
            driver.set_window_size(width, 900)
            for path in pages:
                problems += violations(driver, path)
    return problems


def test_coordinator_pages(browser):
    sign_in(browser, "kediri.kominfo", "demo-kominfo-2022")
    pages = ["/", "/my/indicators", "/review", "/dashboard", "/cycles/2022/plan", "/cycles/2022/whatif",
             "/cycles/2022/report", "/progress", "/programmes", "/actions", "/meetings", "/recommendations", "/audit",
             "/official", "/cycles/2022/official", "/inbox", "/admin/region", "/admin/agencies", "/admin/users",
             "/admin/pillars", "/admin/cycles", "/cycles/2022/assignments", "/account/password"]
    pages = with_first_of_each(browser, pages, (INDICATOR, ACTION, PROGRAMME, MEETING))
    problems = scan(browser, pages)
    assert not problems, "\n".join(problems)


def test_agency_pages(browser):
    sign_in(browser, "kediri.dlh", "demo-dlh-2022")
    pages = with_first_of_each(browser, ["/", "/my/indicators", "/inbox", "/actions", "/programmes", "/meetings",
                                         "/recommendations"], (INDICATOR, ACTION, PROGRAMME))
    problems = scan(browser, pages)
    assert not problems, "\n".join(problems)


def test_visitor_pages(browser):
    problems = []
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        for path in ("/signin", "/public/kota-kediri"):
            problems += violations(browser, path)
    assert not problems, "\n".join(problems)
