"""Figure 4 of issue 2: a page after the first load transfers <= 300 kB.

Builds a migrated, loaded SQLite database in a temporary BLONET_VAR_DIR (with collectstatic:
whitenoise serves hashed, pre-compressed files), starts `gunicorn blonet.wsgi -w 2` on a free
loopback port and drives Debian's headless Chromium (/usr/bin/chromium) through Playwright:

  1. log in as the demo analyst (the session cookie is then reused by fresh contexts);
  2. cold cache: load the home page `/` in a fresh context  -> home, first load;
  3. cold cache: load the map `/directory/` in a fresh context -> map, first load;
     then, in that same context, load `/` and `/directory/` again -> the repeat loads.

Bytes are what Chromium reports over CDP: `Network.loadingFinished.encodedDataLength`
(response headers + body as sent, i.e. compressed) for every request a navigation makes
(including the fetches of map.json and the world atlas, waiting for network idle and the map's
data-ready flag). Responses served from the memory or disk cache move no bytes; they are counted
as the size of their response headers ("accounted"), as a conservative figure. 304 responses are
network responses and count their real size.

Usage (from the repo root):  .venv/bin/python bench/page_weight.py [--verbose] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl

TARGET_KB = 300.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Recorder:
    """Collects CDP Network events of one page, keyed by requestId."""

    def __init__(self, context: Any, page: Any):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.reqs: dict[str, dict[str, Any]] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)

    def _r(self, rid: str) -> dict[str, Any]:
        return self.reqs.setdefault(
            rid, {"url": "?", "status": None, "cache": "", "encoded": 0, "hdr": 0, "done": False}
        )

    def _sent(self, ev: dict[str, Any]) -> None:
        r = self._r(ev["requestId"])
        r["url"] = ev["request"]["url"]
        r["type"] = ev.get("type", "")

    def _cached(self, ev: dict[str, Any]) -> None:
        self._r(ev["requestId"])["cache"] = "memory"

    def _response(self, ev: dict[str, Any]) -> None:
        r = self._r(ev["requestId"])
        resp = ev["response"]
        r["status"] = resp.get("status")
        r["url"] = resp.get("url", r["url"])
        headers = resp.get("headers", {})
        # "Name: value\r\n" per header + status line + blank line
        r["hdr"] = sum(len(k) + len(str(v)) + 4 for k, v in headers.items()) + 19
        r["encoding"] = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "")
        r["ctype"] = resp.get("mimeType", "")
        if resp.get("fromDiskCache"):
            r["cache"] = "disk"
        elif resp.get("fromPrefetchCache"):
            r["cache"] = "prefetch"
        elif resp.get("fromServiceWorker"):
            r["cache"] = "sw"

    def _finished(self, ev: dict[str, Any]) -> None:
        r = self._r(ev["requestId"])
        r["encoded"] = int(ev.get("encodedDataLength", 0))
        r["done"] = True

    def _failed(self, ev: dict[str, Any]) -> None:
        r = self._r(ev["requestId"])
        r["failed"] = ev.get("errorText", "failed")
        r["done"] = True

    def take(self) -> list[dict[str, Any]]:
        out = [r for r in self.reqs.values() if not r["url"].startswith("data:")]
        self.reqs = {}
        return out


def load(page: Any, rec: Recorder, base: str, path: str) -> dict[str, Any]:
    rec.take()
    resp = page.goto(base + path, wait_until="networkidle", timeout=30_000)
    if resp is None or resp.status != 200:
        raise RuntimeError(f"{path}: HTTP {resp.status if resp else '?'}")
    if path.startswith("/directory/") and path.rstrip("/") == "/directory":
        page.wait_for_selector("#map[data-ready='true']", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    reqs = rec.take()
    wire = sum(r["encoded"] for r in reqs if not r["cache"])
    cached_hdr = sum(r["hdr"] for r in reqs if r["cache"])
    return {
        "path": path,
        "requests": len(reqs),
        "from_cache": sum(1 for r in reqs if r["cache"]),
        "not_modified": sum(1 for r in reqs if r["status"] == 304),
        "wire_bytes": wire,
        "accounted_bytes": wire + cached_hdr,
        "detail": sorted(reqs, key=lambda r: -r["encoded"]),
    }


def show(label: str, res: dict[str, Any], verbose: bool, gate: bool) -> None:
    kb = res["accounted_bytes"] / 1000
    verdict = ""
    if gate:
        verdict = f"  target <= {TARGET_KB:.0f} kB: {'PASS' if kb <= TARGET_KB else 'MISS'}"
    print(
        f"{label:<28} {res['path']:<13} {kb:>8.1f} kB accounted ({res['wire_bytes'] / 1000:.1f} kB "
        f"on the wire) {res['requests']:>3} requests, {res['from_cache']} from cache, "
        f"{res['not_modified']} x 304{verdict}"
    )
    if verbose:
        for r in res["detail"]:
            where = r["cache"] or str(r["status"])
            enc = r.get("encoding") or "-"
            print(f"    {r['encoded'] / 1000:>8.1f} kB  {where:<7} {enc:<5} {r['url']}")


def static_compression(var: Path) -> list[dict[str, Any]]:
    """Text files in STATIC_ROOT: raw, gzip (as whitenoise stores them) and brotli if available."""
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        brotli = None
    rows = []
    static = var / "static"
    manifest = static / "staticfiles.json"
    if not manifest.exists():
        return rows
    import json

    paths = json.loads(manifest.read_text())["paths"]
    for name, hashed in paths.items():
        if not name.endswith((".js", ".css", ".json", ".svg")):
            continue
        f = static / hashed
        raw = f.read_bytes()
        gz = static / (hashed + ".gz")
        row = {
            "file": name,
            "raw": len(raw),
            "gzip_file": gz.stat().st_size if gz.exists() else None,
            "gzip9": len(gzip.compress(raw, 9)),
            "brotli11": len(brotli.compress(raw, quality=11)) if brotli else None,
        }
        rows.append(row)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--verbose", "-v", action="store_true", help="list every request")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary var dir")
    args = ap.parse_args()
    bl.set_deadline(300)
    bl.print_machine()
    from playwright.sync_api import sync_playwright

    with bl.temp_var_dir("blonet-bench-weight-", keep=args.keep) as var:
        env = bl.bench_env(var)
        bl.prepare_database(env)
        port = bl.free_port()
        with (
            bl.gunicorn_server(env, port, var / "gunicorn.log") as server,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                base = server.base
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(base + "/accounts/login/")
                page.fill("input[name=login]", bl.DEMO_USER)
                page.fill("input[name=password]", bl.DEMO_PASSWORD)
                with page.expect_navigation(timeout=30_000):
                    page.press("input[name=password]", "Enter")
                if page.url.rstrip("/") != base:
                    raise RuntimeError(f"login did not land on the home page: {page.url}")
                state = ctx.storage_state()
                ctx.close()

                results: dict[str, dict[str, Any]] = {}
                ctx = browser.new_context(storage_state=state)
                page = ctx.new_page()
                results["home_first"] = load(page, Recorder(ctx, page), base, "/")
                ctx.close()

                ctx = browser.new_context(storage_state=state)
                page = ctx.new_page()
                rec = Recorder(ctx, page)
                results["map_first"] = load(page, rec, base, "/directory/")
                results["home_repeat"] = load(page, rec, base, "/")
                results["map_repeat"] = load(page, rec, base, "/directory/")
                # Dynamic responses sent without Content-Encoding: what gzip would make of them.
                plain: dict[str, dict[str, int]] = {}
                for res in results.values():
                    for r in res["detail"]:
                        if r["cache"] or r.get("encoding") or r["encoded"] < 1000:
                            continue
                        if r["url"] in plain:
                            continue
                        body = ctx.request.get(r["url"]).body()
                        plain[r["url"]] = {"raw": len(body), "gzip6": len(gzip.compress(body, 6))}
                ctx.close()
            finally:
                browser.close()

        print()
        show("home, first load (cold)", results["home_first"], args.verbose, False)
        show("map, first load (cold)", results["map_first"], args.verbose, False)
        show("home, after the map", results["home_repeat"], args.verbose, True)
        show("map, second load", results["map_repeat"], args.verbose, True)
        repeat = [results["home_repeat"], results["map_repeat"]]
        total = sum(r["accounted_bytes"] for r in repeat) / 1000
        ok = all(r["accounted_bytes"] / 1000 <= TARGET_KB for r in repeat)
        print(
            f"repeat loads: home + map = {total:.1f} kB; each page <= {TARGET_KB:.0f} kB: "
            f"{'PASS' if ok else 'MISS'}"
        )

        if plain:
            print("\nresponses sent without compression (kB): body / gzip -6 of the same body")
            for url, sz in plain.items():
                path = url.removeprefix(base)
                print(f"  {sz['raw'] / 1000:>8.1f} {sz['gzip6'] / 1000:>8.1f}  {path}")

        comp = static_compression(var)
        if comp:
            big = sorted(comp, key=lambda r: -r["raw"])[:8]
            print("\nlargest static text files (kB): raw / gzip as served / brotli-11 if known")
            for r in big:
                gz = r["gzip_file"] / 1000 if r["gzip_file"] is not None else float("nan")
                br = f"{r['brotli11'] / 1000:.1f}" if r["brotli11"] is not None else "n/a"
                print(f"  {r['raw'] / 1000:>8.1f} {gz:>8.1f} {br:>8}  {r['file']}")

    for r in results.values():
        r["detail"] = [
            {k: v for k, v in d.items() if k in ("url", "status", "cache", "encoded", "encoding")}
            for d in r["detail"]
        ]
    bl.dump_json(
        args.json,
        {
            "machine": bl.machine_info(),
            "results": results,
            "static": comp,
            "uncompressed": plain,
            "pass": ok,
        },
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
