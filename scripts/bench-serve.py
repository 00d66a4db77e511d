"""The front desk's benchmark, in Debian's chromium (see bench-serve.sh).

Usage: bench-serve.py DANGOL_BIN VAULT PASSPHRASE_FILE PROFILE_DIR
Prints the figures as the README's table rows."""
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "browser"))
from desk import browser, call, sync_playwright  # noqa: E402

BIN, VAULT, PASSFILE, PROFILE = sys.argv[1:5]
PASSPHRASE = open(PASSFILE).read().strip()
rng = random.Random(2026)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def log_entries():
    out = subprocess.run(["git", "-C", VAULT, "rev-list", "--count", "--all"], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def git_bytes():
    total = 0
    for root, _, files in os.walk(os.path.join(VAULT, ".git", "objects")):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


env = {k: v for k, v in os.environ.items() if not k.startswith("DANGOL_")}
server = None
try:
    with sync_playwright() as p:
        # The browser is already open at the counter: the cold start is the
        # server's, from its process start to the first results shown.
        ctx = browser(p, PROFILE)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        start = time.monotonic()
        server = subprocess.Popen([BIN, "serve", "--no-open", "--vault", VAULT], stdout=subprocess.PIPE, text=True,
                                  env=env)
        line = server.stdout.readline()
        url = [w for w in line.split() if w.startswith("http://")][0]
        page.set_default_timeout(120000)
        page.goto(url)
        people = call(page, "state")[1]["people"]
        page.get_by_role("button", name=people[0], exact=True).click()
        page.locator("input[name=passphrase]").fill(PASSPHRASE)
        t_sign = time.monotonic()
        page.locator("input[name=passphrase]").press("Enter")
        page.locator("#q").wait_for()
        signin_s = time.monotonic() - t_sign
        page.locator("#q").press_sequentially("김")
        page.locator("#results li").first.wait_for()
        cold_s = time.monotonic() - start
        customers = call(page, "state")[1]["customers"]

        # Real query material from the vault, through the page's own search:
        # phone endings, names, initials, words, filters.
        rows = call(page, "search", {"q": "service:염색"})[1]["rows"] + call(page, "search", {"q": "이"})[1]["rows"]
        phones = [r["phone"][-4:] for r in rows]
        names = [r["name"] for r in rows]
        queries = []
        for i in range(60):
            kind = i % 6
            if kind == 0:
                queries.append(rng.choice(phones))
            elif kind == 1:
                queries.append(rng.choice(names)[:2])
            elif kind == 2:
                queries.append("".join("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"[rng.randrange(14)] for _ in range(2)))
            elif kind == 3:
                queries.append(rng.choice(["염색", "애쉬", "두피", "탈색", "클리닉", "뿌리", "웰라", "6%"]))
            elif kind == 4:
                queries.append(rng.choice(["service:펌", "allergy:PPD", "birthday:3", "inactive:>1y"]))
            else:
                queries.append(rng.choice(names))
        entries_before, bytes_before = log_entries(), git_bytes()
        keys, logged, unlogged = [], [], []
        q = page.locator("#q")
        for text in queries:
            q.fill("")
            for ch in text:
                q.press_sequentially(ch)
                seq = page.evaluate("searchSeq")
                page.wait_for_function("s => document.getElementById('results').getAttribute('data-seq') == s", arg=seq)
                took = page.evaluate("performance.getEntriesByName('dangol-search').pop().duration")
                keys.append(took)
                (logged if page.locator("#results li").count() else unlogged).append(took)
            if len(keys) >= 400:
                break
        entries = log_entries() - entries_before
        grown = git_bytes() - bytes_before
        rss = rss_kib(server.pid)

        cards = []
        ids = [r["id"] for r in rows][:60]
        for cid in ids:
            page.evaluate("id => { location.hash = '#/card/' + id; }", cid)
            page.wait_for_function("id => document.getElementById('main').querySelector('.facts') && "
                                   "performance.getEntriesByName('dangol-card').length > 0 && "
                                   "location.hash.endsWith(id)", arg=cid)
            cards.append(page.evaluate("performance.getEntriesByName('dangol-card').pop().duration"))
            page.evaluate("performance.clearMeasures('dangol-card')")
        page.locator("#lock").click()
        ctx.close()
finally:
    if server:
        server.terminate()
        server.wait()

print(f"| customers | {customers:,} |")
print(f"| keystrokes measured (mixed queries) | {len(keys)} |")
print(f"| keystroke → rendered results, p50 / p99 | {pct(keys, 50):.1f} ms / {pct(keys, 99):.1f} ms |")
print(f"| open a card, p50 / p99 ({len(cards)} cards) | {pct(cards, 50):.1f} ms / {pct(cards, 99):.1f} ms |")
print(f"| of them with rows, so one access-log entry each: p50 / p99 | {len(logged)}: "
      f"{pct(logged, 50):.1f} ms / {pct(logged, 99):.1f} ms |")
print(f"| of them without rows (nothing shown, nothing logged): p50 / p99 | {len(unlogged)}: "
      f"{pct(unlogged, 50):.1f} ms / {pct(unlogged, 99):.1f} ms |")
print(f"| access-log entries written for them | {entries} ({entries / max(1, len(keys)):.2f} per keystroke) |")
print(f"| .git growth for them | {grown / 1024:.0f} KiB ({grown / max(1, len(keys)) / 1024:.1f} KiB per keystroke) |")
print(f"| server resident memory, index warm | {rss / 1024:.0f} MiB |")
print(f"| cold start → first results (incl. sign-in) | {cold_s:.2f} s |")
print(f"| of which sign-in (Argon2id, index from its cache) | {signin_s:.2f} s |")
print(f"| mean keystroke | {statistics.mean(keys):.1f} ms |")
print(f"| machine load average at the end (2 cores) | {os.getloadavg()[0]:.1f} |")
