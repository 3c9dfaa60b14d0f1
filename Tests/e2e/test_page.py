#!/usr/bin/env python3
"""End-to-end test of the parent's page in real headless Chromium.

Creates the demo registry and photos with `genuine demo` in a temporary folder, starts
`genuine serve` on a free loopback port, then, as a parent would: opens the page, picks each demo
photo in the file input, reads the verdict off the page, and for the unreadable photo reads the
reason and retake tip and presses "Request examination". Also opens a tin's Digital Link landing
page with JavaScript switched off. Installs nothing: `make e2e` provides Chromium, chromedriver and
selenium (in Tests/e2e/.venv).

Usage: test_page.py [--genuine .build/debug/genuine]
"""
import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benchmarks"))
from demo_service import make_demo, start_server  # noqa: E402

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

EXPECTED = [
    ("genuine.png", "GENUINE"),
    ("forged.png", "COUNTERFEIT"),
    ("cloned.png", "SUSPECT_COPY"),
    ("recalled.png", "RECALLED"),
    ("unknown.png", "UNKNOWN"),
    ("unreadable.jpg", "INCONCLUSIVE"),
]


def browser(javascript=True):
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=412,915")  # a phone screen
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
            break
    driver_path = "/usr/bin/chromedriver"
    service = Service(executable_path=driver_path) if os.path.exists(driver_path) else Service()
    return webdriver.Chrome(service=service, options=options)


def check_photo(driver, base, photo, expected):
    driver.get(base)
    field = driver.find_element(By.ID, "photo")
    assert field.get_attribute("accept") == "image/*", "the file input must accept images"
    assert field.get_attribute("capture") == "environment", "the file input must open the rear camera"
    field.send_keys(photo)  # the page submits as soon as a photo is picked
    WebDriverWait(driver, 120).until(EC.url_contains("/scans/"))
    verdict = WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.ID, "verdict")))
    shown = verdict.get_attribute("data-verdict")
    headline = verdict.find_element(By.TAG_NAME, "h1").text
    print(f"  {os.path.basename(photo):15} → {shown:13} “{headline}”")
    assert shown == expected, f"{photo}: expected {expected}, the page shows {shown}"
    assert headline, "the verdict has no headline"
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"
    return verdict


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--genuine", default=".build/debug/genuine")
    args = parser.parse_args()
    genuine = os.path.abspath(args.genuine)

    with tempfile.TemporaryDirectory(prefix="genuine-e2e-") as folder:
        db, photos = make_demo(genuine, folder)
        server, _, _, base = start_server(genuine, db, os.path.join(folder, "data"))
        driver = None
        try:
            driver = browser()
            print(f"e2e: {base} in headless Chromium")
            for name, expected in EXPECTED:
                check_photo(driver, base, os.path.join(photos, name), expected)
                if expected == "GENUINE":
                    assert driver.find_element(By.ID, "timeline").is_displayed(), "no timeline for a genuine tin"
                    assert "Made on" in driver.find_element(By.ID, "lot").text, "no date of manufacture"
                    assert driver.find_element(By.ID, "process").is_displayed(), "no manufacturing process"
                    assert "Origin" in driver.find_element(By.ID, "product").text, "no origin"
                if expected == "INCONCLUSIVE":
                    reason = driver.find_element(By.ID, "reason").text
                    tip = driver.find_element(By.ID, "tip").text
                    print(f"    reason: {reason}\n    tip: {tip}")
                    assert reason and tip, "an unread photo needs a reason and a retake tip"
                    driver.find_element(By.ID, "request-examination").click()
                    notice = WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.ID, "case")))
                    case_id = notice.get_attribute("data-case-id")
                    print(f"    examination requested: case {case_id}")
                    assert case_id and "Examination requested" in notice.text
            driver.quit()

            # The Digital Link a phone camera opens, read with JavaScript off.
            with sqlite3.connect(db) as connection:
                gtin, serial, lot = connection.execute(
                    "SELECT u.gtin, u.serial, l.lot FROM units u JOIN lots l ON l.id = u.lot_id ORDER BY u.id LIMIT 1").fetchone()
                views_before = connection.execute("SELECT count(*) FROM landing_views").fetchone()[0]
                scans_before = connection.execute("SELECT count(*) FROM scans").fetchone()[0]
            driver = browser(javascript=False)
            driver.get(f"{base}01/{gtin}/10/{lot}/21/{serial}")
            title = driver.find_element(By.TAG_NAME, "h1").text
            journey = driver.find_element(By.ID, "timeline").text
            print(f"  landing page without JavaScript: “{title}”, {len(journey.splitlines())} timeline lines")
            assert "formula" in title and journey, "the landing page must be readable without JavaScript"
            with sqlite3.connect(db) as connection:
                assert connection.execute("SELECT count(*) FROM landing_views").fetchone()[0] == views_before + 1
                assert connection.execute("SELECT count(*) FROM scans").fetchone()[0] == scans_before, "a view is not a scan"
        finally:
            if driver is not None:
                driver.quit()
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    print("e2e: all demo photos judged as expected on the page; examination requested; landing page readable")


if __name__ == "__main__":
    sys.exit(main())
