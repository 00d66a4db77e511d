"""The front desk in a real browser: Debian's chromium, headless, driven by
Playwright. Run by Tests/dangolTests/FrontDeskTests.swift, which makes the
vault, starts `dangol serve`, hands this script a spec (JSON) and afterwards
scans the chromium profile, /tmp and /dev/shm for customer plaintext.

Usage: frontdesk_test.py SPEC.json
Prints one line per check and "N passed, N failed"; exits 1 on a failure."""
import json
import re
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from desk import browser, call, sign_in, sync_playwright  # noqa: E402

SPEC = json.load(open(sys.argv[1]))
URL = SPEC["url"]
ORIGIN = URL.split("/?")[0]
HOST = ORIGIN.split("//")[1]
HANGUL = re.compile("[\uac00-\ud7a3]")
REQUIRED = {
    "content-security-policy": "frame-ancestors 'none'",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}
results = []
responses = []  # (url, status, headers) of everything the browser received


def check(name):
    def wrap(f):
        try:
            f()
            results.append((name, None))
            print(f"ok    {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
            results.append((name, e))
            print(f"FAIL  {name}: {e}", flush=True)
            traceback.print_exc()
        return f
    return wrap


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def raw(path, method="GET", headers=None, body=None):
    """A request from outside the browser (curl's view)."""
    req = urllib.request.Request(ORIGIN + path, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict((k.lower(), v) for k, v in r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read()


def hardened(headers, where):
    for name, needle in REQUIRED.items():
        expect(needle in headers.get(name, ""), f"{where}: {name} missing or without {needle!r}")


def customer(key):
    return SPEC["customers"][key]


with sync_playwright() as p:
    ctx = browser(p, SPEC["profile"])
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.set_default_timeout(int(SPEC.get("timeout", 30000)))
    page.on("response", lambda r: responses.append((r.url, r.status, r.all_headers())))
    page.on("dialog", lambda d: d.accept())
    baseline = {}

    @check("no cookie: the page and the API answer 401")
    def _():
        s, h, _ = raw("/")
        expect(s == 401, f"GET / without cookie gave {s}")
        hardened(h, "401 page")
        s, _, _ = raw("/api/state", "POST", {"Origin": ORIGIN})
        expect(s == 401, f"POST /api/state without cookie gave {s}")
        s, _, _ = raw("/assets/app.js")
        expect(s == 401, f"GET /assets/app.js without cookie gave {s}")

    @check("sign in: the link is traded for the cookie, then the person and passphrase")
    def _():
        page.goto(URL)
        expect("?t=" not in page.url, "the token stayed in the address bar")
        cookie = [c for c in ctx.cookies() if c["name"] == "dangol_session"][0]
        expect(cookie["httpOnly"] and cookie["sameSite"] == "Strict", f"cookie flags {cookie}")
        page.get_by_role("button", name=SPEC["owner"]["name"], exact=True).wait_for()
        s, state = call(page, "state")
        baseline["guarded"] = state["guarded"]
        sign_in(page, SPEC["owner"]["name"], SPEC["owner"]["passphrase"])
        s, state = call(page, "state")
        expect(state["person"] == SPEC["owner"]["name"] and state["owner"], f"state after sign-in {state}")
        expect(state["guarded"] > baseline["guarded"], "no key in guarded memory after sign-in?")
        baseline["customers"] = state["customers"]

    @check("the link works once")
    def _():
        s, _, _ = raw("/?t=" + URL.split("?t=")[1])
        expect(s == 401, f"second use of the link gave {s}")

    @check("a regular walks in: four digits, Enter, the card shows the allergy")
    def _():
        a = customer("regular")
        page.goto(ORIGIN + "/#/search")
        page.locator("#q").fill(a["phone"][-4:])
        page.locator("#results li").first.wait_for()
        expect(a["name"] in page.locator("#results").inner_text(), "the regular is not among the results")
        expect(a["phone"] not in page.content(), "the full phone number is in the results")
        while page.locator("#results a.sel .name").inner_text() != a["name"]:
            page.locator("#q").press("ArrowDown")
        page.locator("#q").press("Enter")
        page.locator("#card-alert").wait_for()
        expect(a["allergy"] in page.locator("#card-alert").inner_text(), "the allergy is not in the alert")
        expect(page.locator("#card-alert").bounding_box()["y"] < 300, "the allergy is not at the top")

    @check("add a visit: it is on the card, newest first, with its formula")
    def _():
        a = customer("regular")
        page.get_by_role("link", name="방문 기록").click()
        page.locator("input[name=service]").fill("뿌리염색")
        page.locator("input[name=formula]").fill(SPEC["visit"]["formula"])
        page.locator("input[name=price]").fill("55,000")
        page.get_by_role("button", name="저장").click()
        page.locator("#visits").wait_for()
        first = page.locator("#visits tr").nth(1).inner_text()
        expect(SPEC["visit"]["formula"] in first, f"newest visit row is {first!r}")
        expect(SPEC["visit"]["formula"] in page.locator("#last-formula").inner_text(), "last formula not shown")
        expect(a["name"] in page.locator("h1").inner_text(), "not the regular's card")

    @check("a new customer with a bad phone: Korean error, nothing saved")
    def _():
        page.goto(ORIGIN + "/#/new")
        page.locator("input[name=name]").fill(SPEC["new"]["name"])
        page.locator("input[name=phone]").fill("12345")
        page.get_by_role("button", name="저장").click()
        err = page.locator(".err[data-for=phone]")
        err.wait_for()
        expect(HANGUL.search(err.inner_text()), f"error not in Korean: {err.inner_text()!r}")
        s, state = call(page, "state")
        expect(state["customers"] == baseline["customers"], "a customer was saved despite the error")
        s, r = call(page, "search", {"q": SPEC["new"]["name"]})
        expect(r["rows"] == [], "the refused customer is searchable")

    @check("a phone another customer holds is pointed out before saving")
    def _():
        page.locator("input[name=phone]").fill(customer("regular")["phone"])
        page.locator("#phone-holder").wait_for()
        expect(customer("regular")["name"] in page.locator("#phone-holder").inner_text(), "holder not named")
        page.locator("input[name=phone]").fill(SPEC["new"]["phone"])
        page.get_by_role("button", name="저장").click()
        page.locator("#visits, p.muted").first.wait_for()
        expect(SPEC["new"]["name"] in page.locator("h1").inner_text(), "the new customer's card is not shown")
        s, state = call(page, "state")
        expect(state["customers"] == baseline["customers"] + 1, "the new customer was not saved")

    @check("record consent: the text version shown is the one recorded")
    def _():
        page.get_by_role("link", name="동의 기록").click()
        version = page.locator("#consent-version").inner_text()
        expect(SPEC["consentVersion"] in version, f"version shown: {version!r}")
        page.locator("input[name=p_birthday_coupon][value=yes]").check()
        page.get_by_role("button", name="동의 저장").click()
        page.locator("#consents").wait_for()
        row = page.locator("#consents tr").nth(1).inner_text()
        expect(SPEC["consentVersion"] in row and "생일 쿠폰" in row, f"consent row {row!r}")

    @check("this month's birthdays: only consenting customers; the CSV is an export")
    def _():
        page.goto(ORIGIN + "/#/birthdays")
        page.locator("#birthday-list").wait_for()
        text = page.locator("#birthday-list").inner_text()
        expect(customer("birthday")["name"] in text, "the consenting birthday customer is missing")
        expect(customer("noconsent")["name"] not in text, "a customer without consent is listed")
        with page.expect_download() as d:
            page.locator("#csv").click()
        download = d.value
        csv = open(download.path(), encoding="utf-8-sig").read()
        download.delete()
        expect(customer("birthday")["phone"] in csv, "the CSV lacks the full phone number")
        expect(customer("noconsent")["name"] not in csv, "the CSV lists a customer without consent")

    @check("history: a field-by-field diff, then a restore")
    def _():
        a = customer("regular")
        page.goto(ORIGIN + f"/#/edit/{a['id']}")
        page.locator("textarea[name=note]").fill(SPEC["edit"]["note"])
        page.get_by_role("button", name="저장").click()
        page.locator("#visits").wait_for()
        page.locator("#to-history").click()
        page.locator("#timeline").wait_for()
        first = page.locator("#timeline > li").first.inner_text()
        expect(SPEC["edit"]["note"] in first and "~ 메모:" in first, f"newest version {first!r}")
        # The version before the note changed (the second entry) comes back as a new version.
        versions = page.locator("#timeline > li").count()
        page.locator("#timeline > li").nth(1).locator("button.restore").click()
        page.wait_for_function("n => document.querySelectorAll('#timeline > li').length > n", arg=versions)
        newest = page.locator("#timeline > li").first.inner_text()
        expect(SPEC["edit"]["note"] + " →" in newest, f"the restore's version {newest!r}")
        page.goto(ORIGIN + f"/#/card/{a['id']}")
        page.locator("#visits").wait_for()
        expect(SPEC["edit"]["note"] not in page.locator(".facts").inner_text(), "the restore did not bring back the note")

    @check("a request to see is recorded, and the printable copy answers it")
    def _():
        a = customer("regular")
        page.goto(ORIGIN + f"/#/request/{a['id']}")
        page.locator("#record-access").click()
        page.locator("#open-requests li").first.wait_for()
        expect("열람 요청" in page.locator("#open-requests").inner_text(), "the request is not listed")
        s, r = call(page, "print", {"id": a["id"]})
        expect(s == 200, f"print gave {s}")
        page.reload()
        page.locator("#open-requests").get_by_text("처리를 기다리는 요청이 없습니다").wait_for()

    @check("the printable copy: the salon's name, Korean labels, A4 print without the app")
    def _():
        a = customer("regular")
        page.goto(ORIGIN + f"/#/request/{a['id']}")
        page.locator("#to-print").click()
        page.locator("#salon").wait_for()
        expect(page.locator("#salon").inner_text() == SPEC["salon"], "the salon's name is missing")
        expect("기본 정보" in page.content() and "방문 기록" in page.content(), "Korean labels missing")
        page.emulate_media(media="print")
        expect(not page.locator("header#bar").is_visible(), "the app's bar is printed")
        expect(not page.locator("#print").is_visible(), "the print button is printed")
        pdf = page.pdf(prefer_css_page_size=True)
        expect(pdf[:4] == b"%PDF", "no PDF")
        page.emulate_media(media="screen")

    @check("erasure: a wrong name erases nothing; the right one gives the receipt; search no longer finds")
    def _():
        e = customer("erase")
        page.goto(ORIGIN + f"/#/request/{e['id']}")
        page.locator("input[name=confirm]").fill("아무개")
        page.locator("#erase").click()
        page.locator(".err[data-for=confirm]").wait_for()
        s, r = call(page, "search", {"q": e["phone"][-4:]})
        expect(any(x["id"] == e["id"] for x in r["rows"]), "erased after a wrong name")
        page.locator("input[name=confirm]").fill(e["name"])
        page.locator("#erase").click()
        page.locator("#receipt").wait_for(timeout=120000)
        expect("남은 흔적이 없습니다" in page.locator("#receipt").inner_text(), "the receipt does not say verified")
        page.goto(ORIGIN + "/#/search")
        page.locator("#q").fill(e["phone"][-4:])
        page.locator("#search-status").get_by_text("찾는 고객이 없습니다").or_(page.locator("#results li")).first.wait_for()
        expect(e["name"] not in page.locator("#results").inner_text(), "the erased customer is still found")

    @check("the access log page (owner): entries, review, verification")
    def _():
        page.goto(ORIGIN + "/#/audit")
        page.locator("#audit-verified").wait_for()
        expect("빠지거나 고친 기록이 없습니다" in page.locator("#audit-verified").inner_text(), "log not verified")
        expect(page.locator("#audit-entries tr").count() > 5, "no entries shown")

    @check("the lock button: back to sign-in, no key held")
    def _():
        page.locator("#lock").click()
        page.get_by_role("button", name=SPEC["owner"]["name"], exact=True).wait_for()
        expect(page.locator("#main").inner_text().find(customer("regular")["name"]) < 0, "customer data left on screen")
        s, state = call(page, "state")
        expect("person" not in state, "still signed in")
        expect(state["guarded"] == baseline["guarded"], f"guarded buffers {state['guarded']} != {baseline['guarded']}")
        s, r = call(page, "search", {"q": customer("regular")["phone"][-4:]})
        expect(s == 401, f"a search after the lock gave {s}")

    @check("idle lock: the page returns to sign-in by itself and the key is gone")
    def _():
        sign_in(page, SPEC["owner"]["name"], SPEC["owner"]["passphrase"])
        page.locator("#q").fill(customer("regular")["phone"][-4:])
        page.locator("#results li").first.wait_for()
        page.get_by_role("button", name=SPEC["owner"]["name"], exact=True).wait_for(timeout=(SPEC["idle"] + 15) * 1000)
        s, state = call(page, "state")
        expect("person" not in state and state["guarded"] == baseline["guarded"], f"after idle: {state}")

    @check("staff: masked phones, no reveal, no erase button; a forged erase is refused")
    def _():
        sign_in(page, SPEC["staff"]["name"], SPEC["staff"]["passphrase"])
        a = customer("regular")
        page.locator("#q").fill(a["phone"][-4:])
        page.locator("#results li").first.wait_for()
        page.locator("#results a", has_text=a["name"]).first.click()
        page.locator("#card-alert").wait_for()
        expect("****" in page.locator("#phone").inner_text(), "staff see the phone unmasked")
        expect(page.locator("#reveal").count() == 0, "staff get a reveal button")
        expect(page.locator("#to-request").count() == 0, "staff get the erasure page")
        expect(not page.locator("nav a[href='#/audit']").is_visible(), "staff see the access log link")
        s, r = call(page, "erase", {"id": a["id"], "confirm": a["name"], "reason": "forged"})
        expect(s == 403, f"a forged erase from staff gave {s}: {r}")
        s, r = call(page, "reveal", {"id": a["id"]})
        expect(s == 403, f"a forged reveal from staff gave {s}")
        s, r = call(page, "search", {"q": a["phone"][-4:]})
        expect(a["id"] in json.dumps(r), "the customer was erased by staff")

    @check("a cross-origin POST and a POST without the CSRF token are refused")
    def _():
        cookie = [c for c in ctx.cookies() if c["name"] == "dangol_session"][0]["value"]
        csrf = page.locator('meta[name="dangol-csrf"]').get_attribute("content")
        base = {"Cookie": "dangol_session=" + cookie, "X-Dangol-CSRF": csrf}
        s, h, _ = raw("/api/state", "POST", dict(base, Origin="http://evil.example"), b"")
        expect(s == 403, f"evil Origin gave {s}")
        hardened(h, "403")
        s, _, _ = raw("/api/state", "POST", {k: v for k, v in base.items()}, b"")
        expect(s == 403, f"no Origin gave {s}")
        s, _, _ = raw("/api/state", "POST", {"Cookie": base["Cookie"], "Origin": ORIGIN}, b"")
        expect(s == 403, f"no CSRF token gave {s}")
        s, _, _ = raw("/api/state", "POST", dict(base, Origin=ORIGIN), b"")
        expect(s == 200, f"the same request done right gave {s}")
        s, _, _ = raw("/api/state", "POST", dict(base, Origin=ORIGIN), b"x=" + b"a" * 70000)
        expect(s == 413, f"an oversized body gave {s}")
        # The browser itself, from another origin (another port on loopback):
        other = ctx.new_page()
        other.goto("about:blank")
        status = other.evaluate(
            """async (u) => { try { const r = await fetch(u + "/api/state", {method: "POST", credentials: "include",
                mode: "no-cors"}); return r.type; } catch (e) { return "blocked"; } }""", ORIGIN)
        other.close()
        expect(status in ("opaque", "blocked"), f"a cross-origin page read the answer ({status})")

    @check("the page speaks English when the browser prefers it, Korean otherwise")
    def _():
        cookie = "dangol_session=" + [c for c in ctx.cookies() if c["name"] == "dangol_session"][0]["value"]
        s, _, body = raw("/", "GET", {"Cookie": cookie, "Accept-Language": "en-US,en;q=0.9,ko;q=0.5"})
        expect(s == 200 and b'lang="en"' in body and b"Who is working?" in body, "no English page")
        s, _, body = raw("/", "GET", {"Cookie": cookie, "Accept-Language": "ko-KR,ko;q=0.9"})
        expect(b'lang="ko"' in body and "누가 일하고 있나요?".encode() in body, "no Korean page")

    @check("a wrong Host is refused (DNS rebinding)")
    def _():
        cookie = [c for c in ctx.cookies() if c["name"] == "dangol_session"][0]["value"]
        port = HOST.split(":")[1]
        for host in ["evil.example:" + port, "127.0.0.1:1", "evil.example"]:
            s, h, _ = raw("/", "GET", {"Host": host, "Cookie": "dangol_session=" + cookie})
            expect(s == 421, f"Host {host} gave {s}")
            hardened(h, "421")

    @check("every response the browser received carries the headers")
    def _():
        expect(len(responses) > 30, f"only {len(responses)} responses seen")
        for url, status, headers in responses:
            hardened(headers, f"{status} {url}")

    @check("with dangol unlock's agent, the person it unlocked is not asked again; the lock locks the agent too")
    def _():
        env = {"PATH": "/usr/bin:/bin", "HOME": SPEC["home"], "LANG": "C.UTF-8",
               "DANGOL_PASSPHRASE_FILE": SPEC["owner"]["passphraseFile"]}
        page.locator("#lock").click()
        up = subprocess.run([SPEC["binary"], "unlock", "--vault", SPEC["vault"], "--timeout", "5m"], env=env,
                            capture_output=True, text=True, timeout=60)
        expect(up.returncode == 0, f"dangol unlock: {up.stderr}")
        page.get_by_role("button", name=SPEC["owner"]["name"], exact=True).click()
        page.locator("#q").wait_for()
        expect(page.locator("input[name=passphrase]").count() == 0, "the passphrase was asked")
        page.locator("#lock").click()
        page.get_by_role("button", name=SPEC["owner"]["name"], exact=True).wait_for()
        down = subprocess.run([SPEC["binary"], "lock", "--vault", SPEC["vault"]], env=env, capture_output=True,
                              text=True, timeout=60)
        expect("no agent" in down.stdout, f"the agent still held the key: {down.stdout}")

    ctx.close()

failed = [n for n, e in results if e]
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
