"""Helpers shared by the front desk's browser test, its benchmark and the
README's screenshots: Debian's chromium under Playwright (never a browser
download), and calls to the page's API from inside the page, so they carry
its cookie, its origin and its CSRF token like the page's own script."""
import os
import shutil

from playwright.sync_api import sync_playwright  # noqa: F401  (re-exported)

CHROMIUM = os.environ.get("DANGOL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def browser(p, profile, locale="ko-KR", viewport=(1366, 768)):
    """A persistent chromium profile in `profile`, so that what the browser
    wrote to disk can be scanned afterwards. --no-sandbox: chromium's own
    sandbox cannot start as root or without user namespaces, which CI has."""
    return p.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, locale=locale,
        viewport={"width": viewport[0], "height": viewport[1]},
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync", "--password-store=basic"],
        accept_downloads=True)


def call(page, name, data=None, csrf=True, path=None):
    """POSTs to the API from the page; returns (status, json or text)."""
    return page.evaluate(
        """async ([name, data, csrf, path]) => {
            const token = document.querySelector('meta[name="dangol-csrf"]').content;
            const headers = csrf ? {"X-Dangol-CSRF": token} : {};
            const r = await fetch(path || "/api/" + name, {method: "POST", headers,
                body: new URLSearchParams(data || {}), credentials: "same-origin"});
            const text = await r.text();
            let body = text;
            try { body = JSON.parse(text); } catch (_) {}
            return [r.status, body];
        }""", [name, data or {}, csrf, path])


def sign_in(page, person, passphrase):
    page.get_by_role("button", name=person, exact=True).click()
    field = page.locator("input[name=passphrase]")
    field.wait_for(timeout=30000)
    field.fill(passphrase)
    field.press("Enter")
    page.locator("#q").wait_for(timeout=30000)
