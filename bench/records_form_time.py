"""Issue 3: "a seizure form that takes under two minutes for a simple case".

Drives the real form of a running blonet (default the demo, http://127.0.0.1:8000, user
officer.kordai) in Debian's Chromium with the keyboard only, at a human pace: every character
typed with a delay (default 150 ms, about 65 words a minute) and a pause before every field
(default 1.5 s, to read the label). Records a truck seizure with two items, a driver and the
truck, and prints the wall time from opening the form to the saved record's page, the number of
keys pressed and the number of fields touched. The figure is a simulated officer, not a user
study: it shows that the form asks for little, not how fast a person is.

    .venv/bin/python bench/records_form_time.py [--url URL] [--delay-ms 150] [--pause-s 1.5]
"""

from __future__ import annotations

import argparse
import re
import time

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="officer.kordai")
    parser.add_argument("--password", default="blonet-demo-2026")
    parser.add_argument("--delay-ms", type=float, default=150)
    parser.add_argument("--pause-s", type=float, default=1.5)
    args = parser.parse_args()
    keys = 0
    fields = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{args.url}/accounts/login/")
        page.fill("input[name=login]", args.user)
        page.fill("input[name=password]", args.password)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()
        kb = page.keyboard

        def field(
            text: str = "", *, selector: str = "", tab: bool = False, enter: bool = False
        ) -> None:
            nonlocal keys, fields
            time.sleep(args.pause_s)
            fields += 1
            if selector:
                page.focus(selector)  # stands for the Tab presses an officer needs to get there
                keys += 1
            if tab:
                kb.press("Tab")
                keys += 1
            if text:
                kb.type(text, delay=args.delay_ms)
                keys += len(text)
            if enter:
                kb.press("Enter")
                keys += 1

        start = time.monotonic()
        page.goto(f"{args.url}/records/seizures/new/")
        field("Truck", selector="#id_conveyance")
        field("X-ray", tab=True)
        field("Heroin", selector="#id_items-0-commodity")
        field("12.5", tab=True)
        field(selector="[data-testid=add-item]", enter=True)
        field("Hashish")
        field("800", tab=True)
        field("g", tab=True)
        field(selector="[data-testid=add-person]", enter=True)
        kb.press("Shift+Tab")
        keys += 1
        field("Driver")
        field("Qurbonov Yusuf", tab=True)
        field("1985-03-02", tab=True)
        field("TJ", tab=True)
        field(selector="[data-testid=add-vehicle]", enter=True)
        field("01 KG 123 ABC")
        field("KG", tab=True)
        field("Volvo", tab=True, enter=True)
        page.wait_for_url(re.compile(r".*/records/seizures/[0-9a-f-]{36}/$"))
        elapsed = time.monotonic() - start
        reference = page.locator("h1 .text-nowrap").first.inner_text()
        browser.close()
    print(f"seizure {reference}: 2 items, a driver and a truck")
    print(f"time from opening the form to the saved record: {elapsed:.1f} s (target < 120 s)")
    print(f"keys pressed: {keys}; fields touched: {fields}; typing delay {args.delay_ms:.0f} ms, "
          f"pause before each field {args.pause_s:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
