"""The README's screenshots of the front desk, on the demo's generated
customers (never real people), from Debian's chromium (see screenshots.sh).

Usage: screenshots.py URL PASSPHRASE OUT_DIR PROFILE_DIR"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "browser"))
from desk import browser, call, sign_in, sync_playwright  # noqa: E402

URL, PASSPHRASE, OUT, PROFILE = sys.argv[1:5]
ORIGIN = URL.split("/?")[0]


def shot(page, name, full=False):
    page.wait_for_timeout(400)
    path = os.path.join(OUT, name + ".png")
    page.screenshot(path=path, full_page=full)
    try:
        from PIL import Image  # fewer colours: a small file for the repository
        Image.open(path).convert("RGB").quantize(colors=96).save(path, optimize=True)
    except ImportError:
        pass


with sync_playwright() as p:
    ctx = browser(p, PROFILE)
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.set_default_timeout(60000)
    page.goto(URL)
    page.get_by_role("button", name="원장", exact=True).wait_for()
    shot(page, "signin")
    sign_in(page, "원장", PASSPHRASE)

    # A regular with an allergy, found by four digits.
    rows = call(page, "search", {"q": "allergy:PPD"})[1]["rows"]
    regular = rows[0]
    page.locator("#q").press_sequentially(regular["phone"][-4:])
    page.locator("#results li").first.wait_for()
    shot(page, "search")
    page.goto(ORIGIN + "/#/card/" + regular["id"])
    page.locator(".facts").wait_for()
    shot(page, "card")
    page.goto(ORIGIN + "/#/visit/" + regular["id"])
    page.locator("input[name=service]").fill("뿌리염색")
    page.locator("input[name=price]").fill("60000")
    shot(page, "visit")
    page.get_by_role("button", name="저장").click()
    page.locator("#visits").wait_for()
    call(page, "edit", {"id": regular["id"], "note": "두피 예민, 향 없는 제품"})
    page.goto(ORIGIN + "/#/new")
    page.locator("input[name=name]").fill("홍길동")
    page.locator("input[name=phone]").fill("010-12")
    page.get_by_role("button", name="저장").click()
    page.locator(".err[data-for=phone]").wait_for()
    shot(page, "new-customer-error")
    def page_shot(hash_, ready, name, media=None):
        page.goto(ORIGIN + "/#/" + hash_)
        page.locator(ready).wait_for()
        if media:
            page.emulate_media(media=media)
        shot(page, name)
        page.emulate_media(media="screen")

    month = next((m for m in range(1, 13) if call(page, "birthdays", {"month": str(m)})[1]["rows"]), 1)
    for hash_, ready, name, media in [
        ("consent/" + regular["id"], "#consent-version", "consent", None),
        (f"birthdays/{month}", "h1", "birthdays", None),
        ("history/" + regular["id"], "#timeline", "history", None),
        ("audit", "#audit-verified", "access-log", None),
        ("print/" + regular["id"], "#salon", "print-copy", "print"),
        ("request/" + regular["id"], "#erase-form", "requests", None),
        ("backup", "h1", "backup", None),
    ]:
        page_shot(hash_, ready, name, media)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(ORIGIN + "/#/card/" + regular["id"])
    page.locator(".facts").wait_for()
    shot(page, "tablet-card")
    page.locator("#lock").click()
    ctx.close()
