"""Screenshot pages as a user sees them, at desktop and phone width, in headless Chromium.

    .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 --user c_dapeng \
        --out screenshots /creator/ /creator/marketplace/

Logs in through the login form (demo password unless --password), then saves
<out>/<user>_<slug>_{desktop,phone}.png for each path. Add --lang en for English.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--user")
    ap.add_argument("--password", default="daihuo-demo-2026")
    ap.add_argument("--out", default="screenshots")
    ap.add_argument("--lang", default="zh-hans")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, viewport in [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})]:
            ctx = browser.new_context(viewport=viewport, locale="zh-CN")
            if args.lang != "zh-hans":  # the language switch's cookie
                ctx.add_cookies([{"name": "django_language", "value": args.lang, "url": args.base}])
            page = ctx.new_page()
            if args.user:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("main button[type=submit]")
                page.wait_for_load_state("networkidle")
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                page.wait_for_load_state("networkidle")
                slug = re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "root"
                target = out / f"{args.user or 'anon'}_{slug}_{label}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
