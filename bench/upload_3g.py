"""The bytes and seconds of uploading a birth request's files from a phone on 3G.

Against a running demo server (`make run`, or runserver with the demo loaded): Debian's chromium,
a 360x740 phone, and the link of Chrome's "Regular 3G" preset set over CDP
(Network.emulateNetworkConditions: 750 kbit/s down, 250 kbit/s up, 100 ms latency). The village
officer `demo-desa` opens the demo's draft birth registration (akta kelahiran) and chooses, one
row after the other, what an officer has on the phone: a 12-megapixel photo of each paper
document, except the surat keterangan lahir, which is a 13 MB scanned PDF. Where that PDF is
refused on the phone, the officer photographs the page instead, as the message says.

Printed: per row what was sent (bytes of the body, as the script handed it to the browser),
how long the row took and how it ended; then the totals. The bytes are counted in the page
(XMLHttpRequest.send is wrapped), so they are the file bytes plus the form fields.

    .venv/bin/python -m bench.upload_3g --base http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import time
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

# Chrome DevTools' "Regular 3G": throughput in bytes per second, latency in milliseconds.
REGULAR_3G = {
    "offline": False,
    "latency": 100,
    "downloadThroughput": 750 * 1024 / 8,
    "uploadThroughput": 250 * 1024 / 8,
}
PDF_ROW = "surat-keterangan-lahir"
PDF_BYTES = 13 * 1024 * 1024
COUNT_SENT = """
(() => {
  window.sentBytes = [];
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    let size = 0;
    if (body instanceof FormData) {
      for (const [, value] of body.entries()) {
        size += typeof value === 'string' ? new Blob([value]).size : value.size;
      }
    }
    window.sentBytes.push(size);
    return send.call(this, body);
  };
})();
"""


def phone_photo(seed: int) -> bytes:
    """A 4000x3000 photo of a paper form as a phone saves it (JPEG quality 95, about 5 MB)."""
    rnd = random.Random(seed)  # noqa: S311 - test content, not a secret
    size = (4000, 3000)
    photo = Image.new("RGB", size, (150, 140, 110))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((300, 200, 3700, 2800), fill=(236, 232, 222))
    for line in range(30):
        y = 400 + line * 75
        x = 420
        while x < 3500:
            word = rnd.randint(40, 220)
            for stroke in range(0, word, 14):
                top = y + rnd.randint(-4, 4)
                draw.line((x + stroke, top, x + stroke + 8, top + 34), fill=(25, 25, 40), width=5)
            x += word + rnd.randint(24, 48)
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 6).convert("RGB")
    photo = Image.blend(photo, noise, 0.08)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """13 MB that a scanner app saved as a PDF (only its size and type matter here)."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(PDF_BYTES - len(head) - 6) + b"%%EOF\n"


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/home/")


def wait_row(page: Any, code: str, timeout_s: float) -> str:
    """How the row ended: its new version from the server (uploaded or refused there), or the
    message the phone showed without sending."""
    deadline = time.monotonic() + timeout_s
    row = page.locator(f"#req-{code}")
    while time.monotonic() < deadline:
        if row.get_attribute("data-bench-old") is None:  # the server's answer replaced it
            errors = [str(text) for text in row.locator(".errorlist").all_inner_texts()]
            return "refused by the server: " + errors[0] if errors else "uploaded"
        if "upload-failed" in (row.get_attribute("class") or ""):
            said = str(row.locator("[data-upload-status]").inner_text())
            return "refused on the phone: " + said
        page.wait_for_timeout(250)
    return "timed out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo-desa")
    parser.add_argument("--password", default="paradewi-demo")
    parser.add_argument(
        "--request", type=int, default=1, help="the draft birth registration (demo: 1)"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per row at most")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    photos = [phone_photo(seed) for seed in range(2)]
    pdf = scanned_pdf()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--headless=new", "--no-sandbox"]
        )
        context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.add_init_script(COUNT_SENT)
        log_in(page, args.base, args.user, args.password)
        page.goto(f"{args.base}/requests/{args.request}/edit/")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", REGULAR_3G)
        codes = [
            (row.get_attribute("id") or "").removeprefix("req-")
            for row in page.locator(".req-row:has(form[data-upload])").all()
        ]
        started = time.monotonic()
        for index, code in enumerate(codes):
            plan = [("scan.pdf", "application/pdf", pdf)] if code == PDF_ROW else []
            plan.append((f"IMG_{index:04d}.jpg", "image/jpeg", photos[index % len(photos)]))
            for name, mime, content in plan:
                sent_before = len(page.evaluate("window.sentBytes"))
                page.locator(f"#req-{code}").evaluate(
                    "row => row.setAttribute('data-bench-old', '')"
                )
                page.locator(f"#req-{code} input[type=file]").set_input_files(
                    {"name": name, "mimeType": mime, "buffer": content}
                )
                # The clock starts once the file is chosen: handing the bytes to the browser
                # (Playwright, not the network) is not the phone's time.
                row_start = time.monotonic()
                outcome = wait_row(page, code, args.timeout)
                sent = page.evaluate("window.sentBytes")[sent_before:]
                results.append(
                    {
                        "row": code,
                        "file": name,
                        "file_bytes": len(content),
                        "sent_bytes": sum(sent),
                        "seconds": round(time.monotonic() - row_start, 1),
                        "outcome": outcome,
                    }
                )
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
                if outcome == "uploaded":
                    break
        total = time.monotonic() - started
        browser.close()
    print(
        json.dumps(
            {
                "rows": len(codes),
                "sent_bytes": sum(r["sent_bytes"] for r in results),
                "seconds": round(sum(r["seconds"] for r in results), 1),
                "wall_seconds": round(total, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
