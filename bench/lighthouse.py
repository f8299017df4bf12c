"""Lighthouse's mobile scores for the pages people open on a phone: performance and accessibility.

Seeds a small portfolio (scale 0.1 of bench/seed.py) into a throwaway
PostgreSQL database, serves it with gunicorn and production settings on
loopback (as bench/pages.py does), and runs Lighthouse (npm, with Debian's
Chromium) on each page with its mobile defaults: a mid-range phone's screen,
a simulated slow 4G network and a 4x slower CPU. Logged-in pages get the
session cookie of bench/pages.py. Writes bench/lighthouse.json and
bench/lighthouse.md and fails when a page scores below the issue's targets
(performance 95, accessibility 100).

    npm install --prefix bench/.tools lighthouse@12   # once; kept out of git
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/lighthouse.py

Options: --lighthouse PATH (default bench/.tools/node_modules/.bin/lighthouse),
--chromium PATH (default /usr/bin/chromium), --pages KEYS.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402 (the path above first)
    FACILITATOR,
    HOST,
    PAGES,
    PARTNER,
    VIEWER,
    Gunicorn,
    Page,
    page_path,
    progress,
    refresh_standings,
    required_services,
    session_cookies,
    set_up_django,
    vacuum,
)

PERFORMANCE_MIN = 95
ACCESSIBILITY_MIN = 100
SCALE = 0.1
OUTPUT = ROOT / "bench"
DEFAULT_LIGHTHOUSE = ROOT / "bench" / ".tools" / "node_modules" / ".bin" / "lighthouse"

LOGIN = Page("login", "log-in page", VIEWER, "accounts:login")
# The list: log-in, Today, directory, profile, partnership, plan, portal and share page.
WANTED = ["today", "directory", "organization", "partnership", "plan", "portal", "share"]


ATTEMPTS = 3


def lighthouse(binary: str, chromium: str, url: str, cookie: str, folder: Path) -> dict[str, Any]:
    report = folder / f"report-{secrets.token_hex(4)}.json"
    command = [
        binary, url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    started = time.perf_counter()
    for attempt in range(ATTEMPTS):
        # Lighthouse sometimes loses its own trace ("NO_NAVSTART", "Please run
        # Lighthouse again"): a fault of the recording, not of the page.
        done = subprocess.run(command, check=False, env=os.environ | {"CHROME_PATH": chromium}, timeout=300)
        if done.returncode == 0:
            break
        progress(f"  Lighthouse failed on {url} (attempt {attempt + 1} of {ATTEMPTS})")
    else:
        raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")
    found = json.loads(report.read_text())
    audits = found["audits"]
    failing = [
        key
        for key, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1 and key in _accessibility_audits(found)
    ]
    final = found.get("finalDisplayedUrl") or found.get("finalUrl") or url
    if final != url:  # a lost session would measure the log-in page instead
        raise SystemExit(f"Lighthouse was sent from {url} to {final}: not the page asked for")
    return {
        "final_url": final,
        "performance": round(found["categories"]["performance"]["score"] * 100),
        "accessibility": round(found["categories"]["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "accessibility_failures": failing,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _accessibility_audits(report: dict[str, Any]) -> set[str]:
    return {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"] if ref.get("weight", 0) > 0}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default=str(DEFAULT_LIGHTHOUSE), help="the lighthouse command")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser Lighthouse drives")
    parser.add_argument("--pages", help="only these page keys, comma-separated (login and bench/pages.py's keys)")
    arguments = parser.parse_args()
    if not Path(arguments.lighthouse).exists() and not shutil.which(arguments.lighthouse):
        parser.error(f"no lighthouse at {arguments.lighthouse}: npm install --prefix bench/.tools lighthouse@12")
    if not Path(arguments.chromium).exists():
        parser.error(f"no Chromium at {arguments.chromium} (Debian: apt-get install chromium)")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    from bench.seed import seed_portfolio
    from bench.sweep import throwaway_database

    server_url, redis_url = required_services()
    keys = arguments.pages.split(",") if arguments.pages else ["login", *WANTED]
    pages = [page for page in [LOGIN, *PAGES] if page.key in keys]
    results: dict[str, Any] = {"pages": {}}
    with tempfile.TemporaryDirectory(prefix="rekan-bench-lighthouse-") as folder:
        var_dir = Path(folder)
        with throwaway_database(server_url, keep=False) as database_url:
            set_up_django(database_url=database_url, redis_url=redis_url, var_dir=var_dir, queue="rekan-lighthouse")
            portfolio = seed_portfolio(scale=SCALE, progress=progress)
            refresh_standings()
            vacuum()
            cookies = session_cookies(portfolio)
            server = Gunicorn(var_dir / "gunicorn.log")
            try:
                server.wait_ready()
                for page in pages:
                    path = page_path(page, portfolio)
                    if path is None:
                        continue
                    url = f"http://{HOST}:{server.port}{path}"
                    cookie = cookies.get(page.viewer, "") if page.viewer in (FACILITATOR, PARTNER) else ""
                    found = lighthouse(arguments.lighthouse, arguments.chromium, url, cookie, var_dir)
                    results["pages"][page.key] = {"label": page.label, "path": path, **found}
                    progress(
                        f"  {page.label}: performance {found['performance']}, accessibility {found['accessibility']}"
                    )
            finally:
                server.stop()
    results["conditions"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "lighthouse": subprocess.run(
            [arguments.lighthouse, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "chromium": subprocess.run(
            [arguments.chromium, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "load_average": round(os.getloadavg()[0], 1),
        "settings": "mobile defaults: simulated slow 4G, 4x CPU slowdown, Moto G Power screen",
    }
    missed = [
        f"{page['label']}: performance {page['performance']} (at least {PERFORMANCE_MIN}), "
        f"accessibility {page['accessibility']} (at least {ACCESSIBILITY_MIN})"
        for page in results["pages"].values()
        if page["performance"] < PERFORMANCE_MIN or page["accessibility"] < ACCESSIBILITY_MIN
    ]
    results["budget_misses"] = missed
    (OUTPUT / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = render(results)
    (OUTPUT / "lighthouse.md").write_text(markdown)
    print(markdown)
    sys.exit(1 if missed else 0)


def render(results: dict[str, Any]) -> str:
    c = results["conditions"]
    lines = [
        "# Lighthouse (bench/lighthouse.py)",
        "",
        f"{c['date']}; {c['cores']} cores, load average {c['load_average']}; Lighthouse {c['lighthouse']}, "
        f"{c['chromium']}; {c['settings']}. Scale {SCALE} of bench/seed.py.",
        "",
        "| page | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS | failing accessibility audits |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in results["pages"].values():
        lines.append(
            f"| {page['label']} | {page['performance']} | {page['accessibility']} | "
            f"{page['first_contentful_paint_ms']:,} | {page['largest_contentful_paint_ms']:,} | "
            f"{page['total_blocking_time_ms']:,} | {page['cumulative_layout_shift']} | "
            f"{', '.join(page['accessibility_failures']) or '—'} |"
        )
    lines += ["", f"Targets: performance at least {PERFORMANCE_MIN}, accessibility {ACCESSIBILITY_MIN}."]
    lines += [f"- missed: {miss}" for miss in results["budget_misses"]] or ["All met."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
