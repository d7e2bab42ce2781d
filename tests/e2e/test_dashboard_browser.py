"""The seller page in a real browser: headless Debian Chromium, driven by Selenium, on the e2e stack.

One walk through the page as a seller would use it (wrong key, right key, tickets, a
ticket's trail and messages, the chart, a refresh that brings a new ticket, 360 px), with
what the browser saw checked on the way: every request went to the stack's own origin,
the console stayed clean, text contrast meets WCAG AA. Screenshots go to build/.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chalicelib.local import demo

from .conftest import ROOT
from .helpers import api_key, send
from tests.builders import message_event

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SHOTS = ROOT / "build"
WAIT = 20
CONTRAST = Path(__file__).with_name("contrast.js").read_text()


def browser_paths() -> tuple[str, str]:
    """Debian's chromium and chromedriver; installed when missing (root), else a clear failure."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        done = subprocess.run([str(ROOT / "scripts" / "install-browser.sh")], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail("the browser test needs Debian's chromium and chromium-driver: "
                        "`apt-get update && apt-get install -y chromium chromium-driver` "
                        f"(scripts/install-browser.sh said: {done.stderr.strip()})")
    return shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-first-run", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-default-apps", "--disable-sync",
                 "--window-size=1280,1400", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def demo_threads(local_stack):
    return demo.seed(local_stack, ROOT / "examples" / "tenants.yaml")


def wait_for(driver, condition, message: str, seconds: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, seconds).until(lambda d: condition(d), message)


def by_id(driver, element_id: str):
    return driver.find_element("id", element_id)


def enter_key(driver, key: str) -> None:
    field = by_id(driver, "api-key")
    field.clear()
    field.send_keys(key)
    by_id(driver, "key-submit").click()


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def screenshot(driver, name: str, width: int) -> Path:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height + 120, 800), 6000))
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / name
    driver.save_screenshot(str(path))
    return path


def test_a_seller_sees_where_they_stand_in_a_real_browser(browser, local_stack, demo_threads):
    driver, origin = browser, urlsplit(local_stack).netloc
    acme, globex = demo_threads["acme-modules"], demo_threads["globex-addons"]
    driver.get(f"{local_stack}/dashboard")
    assert driver.find_element("css selector", "label[for=api-key]").text == "Seller API key"

    # A wrong key says so and asks again; the browser logs the 401 and nothing else.
    enter_key(driver, "tw_local_not_a_key_0000000000")
    error = wait_for(driver, lambda d: by_id(d, "key-error").is_displayed() and by_id(d, "key-error"),
                     "no error shown for a wrong key")
    assert "not accepted" in error.text and by_id(driver, "login").is_displayed()
    assert by_id(driver, "api-key").get_attribute("value") == ""
    assert driver.execute_script("return sessionStorage.length") == 0
    assert all("401" in m for m in severe(driver)), "only the refused key may log an error"

    # The right key: the seller's own tickets, never another seller's.
    enter_key(driver, api_key("acme-modules"))
    wait_for(driver, lambda d: by_id(d, "board").is_displayed(), "the board never showed")
    wait_for(driver, lambda d: acme[0] in by_id(d, "tickets").text, "acme's tickets are not listed")
    page = driver.find_element("tag name", "body").text
    assert all(thread in page for thread in (acme[0], acme[2], acme[3]))
    assert globex[0] not in page and "globex" not in page
    tiles = by_id(driver, "tiles").text
    assert "open tickets" in tiles and "PS-3 met, 30 days" in tiles
    assert "No endpoints registered." in by_id(driver, "endpoints").text
    assert "PS-7 refund right ends" in by_id(driver, "money").text

    # Compliance over time, drawn as SVG: met and breached days.
    chart = driver.find_element("css selector", "svg.compliance[data-rule='PS-3']")
    assert chart.find_elements("css selector", "rect.bar-met")
    assert chart.find_elements("css selector", "rect.bar-breached")

    # A ticket's decision trail: rule, outcome, evidence and profile@version; then a rejection.
    select = by_id(driver, "ticket-filter")
    select.find_element("css selector", "option[value='']").click()
    wait_for(driver, lambda d: acme[1] in by_id(d, "tickets").text, "the rejected ticket is not listed")
    open_ticket(driver, acme[1])
    trail = by_id(driver, "ticket-trail").text
    assert "CMS-2" in trail and "reject" in trail and "profile cmsmart@" in trail and "evidence" in trail
    open_ticket(driver, acme[2])
    details = by_id(driver, "ticket").text
    assert "PS-1" in details and "prestashop-business-care@" in details and "PS-3 first response" in details
    assert "[redacted credential #2]" in details and "hunter2" not in details
    screenshot(driver, "dashboard-ticket.png", 1280)

    # It refreshes by itself: a ticket sent now shows up within one 30 s cycle, untouched.
    driver.execute_script("window.scrollTo(0, 0)")
    by_id(driver, "ticket-close").click()
    fresh = f"{acme[0]}-later"
    answer = send(local_stack, "cmsmart", message_event(thread_id=fresh, seller_id="acme-modules",
                                                        customer_id=f"{fresh}-c",
                                                        at=datetime.now(timezone.utc)))
    assert answer.status_code == 200, answer.text
    wait_for(driver, lambda d: fresh in by_id(d, "tickets").text,
             "the page did not refresh itself within 40 s", seconds=40)

    # The key stays in sessionStorage only, and out of every URL.
    assert driver.execute_script("return sessionStorage.getItem('ticketwarden.apiKey')") == api_key("acme-modules")
    assert driver.execute_script("return localStorage.length + document.cookie.length") == 0
    urls = requested_urls(driver)
    assert urls and all(urlsplit(u).netloc == origin for u in urls if not u.startswith("data:")), \
        [u for u in urls if urlsplit(u).netloc != origin]
    assert not [u for u in urls if api_key("acme-modules") in u]

    # WCAG AA contrast of every visible text, and no console error.
    low = driver.execute_script(CONTRAST)
    assert low == [], f"text below WCAG AA contrast: {low[:5]}"
    screenshot(driver, "dashboard.png", 1280)
    assert severe(driver) == []

    # 360 px wide: nothing wider than the screen.
    driver.set_window_size(360, 800)
    wait_for(driver, lambda d: d.execute_script("return window.innerWidth") <= 360, "no 360 px window")
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at 360 px"
    screenshot(driver, "dashboard-360.png", 360)
    assert severe(driver) == []


def open_ticket(driver, thread: str) -> None:
    button = driver.find_element("xpath", f"//ul[@id='tickets']//button[text()='{thread}']")
    ticket_id = button.get_attribute("data-ticket")
    button.click()
    wait_for(driver, lambda d: by_id(d, "ticket").get_attribute("data-ticket") == ticket_id
             and by_id(d, "ticket").is_displayed(), f"ticket {thread} did not open")
