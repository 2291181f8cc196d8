"""Badges beside names and the overlay card, in real Chromium with the built extension and a real companion.

The pages are real captures (and the synthetic notifications page); what the companion knows is
seeded through its API from overlay.json, which the Firefox test reads too. Chips live in closed
shadow roots: the tests read their hosts' attributes (data-handle, data-state, data-stage) and look
at screenshots; the overlay is the extension's own page in an iframe, driven as a frame.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import Companion
from tests.e2e.chromium import launch, needs_chromium, paired_page
from tests.e2e.scenario import ARTIFACTS, HERE, OVERLAY, badges, seed, wait_for

pytestmark = needs_chromium

CHIPS = "[data-rapport-chip]:not([data-rapport-chip=tooltip])"

READ_CHIPS = (HERE / "read_chips.js").read_text()
RECYCLE_IN_PLACE = (HERE / "recycle_in_place.js").read_text()

# ... or it fills a cell with another tweet's markup (new elements in an old cell).
RECYCLE_BY_MARKUP = """([from, to]) => {
  const articles = Array.from(document.querySelectorAll('article[data-testid="tweet"]'));
  const author = (a) => a.querySelector('[data-testid="User-Name"] a[href]').getAttribute('href').replace(/^.*\\//, '');
  const target = articles.find((a) => author(a) === from);
  const source = articles.find((a) => author(a) === to);
  target.innerHTML = source.innerHTML;  // X's markup, copied without our chips (they live in shadow roots)
  target.querySelector('[data-testid="User-Name"]').setAttribute('data-recycled', 'markup');
  return true;
}"""

POST_AUTHORS = """() => Array.from(document.querySelectorAll('article[data-testid="tweet"]'),
  (a) => a.querySelector('[data-testid="User-Name"] a[href]').getAttribute('href').replace(/^.*\\//, ''))"""
FOCUS_POST_BY = """(handle) => Array.from(document.querySelectorAll('article[data-testid="tweet"]')).find((a) =>
  a.querySelector('[data-testid="User-Name"] a[href]').getAttribute('href').endsWith('/' + handle)).focus()"""


def chips(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(READ_CHIPS, CHIPS)


def chips_match_companion(page: Any, companion: Companion, want: dict[str, int | None]) -> bool:
    """Every name has its chip, each shown exactly when the companion's badge is worth one, at its stage."""
    seen = chips(page)
    if not seen or any(chip["siblings"] != 1 for chip in seen):
        return False
    handles = sorted({chip["handle"] for chip in seen})
    if not set(want) <= set(handles):
        return False
    truth = badges(companion, handles)
    for chip in seen:
        badge = truth[chip["handle"]]
        worth = badge["known"] and (badge["stage"] > 0 or bool(badge["notes"]) or bool(badge["tags"]))
        if chip["shown"] != worth or (worth and chip["stage"] != badge["stage"]):
            return False
    return all((want[c["handle"]] is None) == (not c["shown"]) and (want[c["handle"]] in (None, c["stage"]))
               for c in seen if c["handle"] in want)


def stages_shown(page: Any, handle: str) -> set[int | None]:
    return {c["stage"] for c in chips(page) if c["handle"] == handle and c["shown"]}


def frame_url(frame: Any) -> str:
    # Playwright may not know the address of an extension frame (an out-of-process iframe): ask it.
    if frame.url:
        return frame.url
    try:
        return frame.evaluate("() => location.href")
    except Exception:  # a frame that went away or is not ready yet
        return ""


def panel(page: Any) -> Any:
    try:
        return wait_for("the overlay panel", lambda: next(
            (f for f in page.frames if "/overlay/panel.html" in frame_url(f)), None), timeout=10)
    except AssertionError:
        raise AssertionError(f"no overlay panel among {[frame_url(f) for f in page.frames]}") from None


def card(companion: Companion, handle: str) -> dict[str, Any]:
    return companion.get(f"/people/{handle}").json()


@contextmanager
def paired_on_x(playwright: Any, data_dir: Path, tmp_path: Path) -> Iterator[tuple[Companion, Any, list[str]]]:
    """A seeded companion and a paired Chromium answering x.com from the overlay pages: (companion, the x.com
    page, the errors our code logged there); both are closed afterwards."""
    companion = Companion(data_dir).start()
    seed(companion)
    context = launch(playwright, tmp_path / "profile", pages=OVERLAY["pages"])
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield companion, paired_page(context, companion, errors), errors
    finally:
        context.close()
        companion.stop()


def test_chips_overlay_notes_meeting_and_live_updates_on_x(playwright: Any, data_dir: Path, tmp_path: Path) -> None:
    with paired_on_x(playwright, data_dir, tmp_path) as (companion, page, errors):
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))

        # 1. Chips on the right names, with the companion's stages; none for people with nothing to show.
        for url, want in OVERLAY["chips"].items():
            page.goto(url)
            wait_for(f"the chips of {url}", lambda want=want: chips_match_companion(page, companion, want))
            page.locator(f"{CHIPS}[data-state=shown]").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"chromium-chips-{url.rsplit('/', 1)[1]}.png"))
        # The synthetic notifications page has no stylesheet: a light page, and a light card.
        assert companion.patch("/people/carol_sings", {"labels": ["choir", "SXSW 2026"]}).status_code == 200
        page.goto("https://x.com/notifications")
        page.locator(f'{CHIPS}[data-handle="carol_sings"][data-state="shown"]').first.click()
        frame = panel(page)
        frame.locator("#note-music").and_(frame.locator("textarea")).wait_for(timeout=10_000)
        wait_for("Carol's notes", lambda: frame.locator("#note-music").input_value() == "Radiohead")
        assert frame.evaluate("() => document.documentElement.dataset.theme") == "light"
        # Carol lives in Lisbon, and so does Alice: the card says so, and links to the Meet-ups list.
        also = frame.locator("#also-here")
        also.get_by_text("Also in Lisbon: 1 person you know").wait_for(timeout=10_000)
        assert frame.locator("#place-text").inner_text() == "Lives in Lisbon, Portugal"
        assert also.get_attribute("href").startswith(f"{companion.base}/meetups?geonameid=")
        # Her own labels, each in its colour; a rename elsewhere reaches the open card live.
        assert frame.locator("#labels .own-label").all_inner_texts() == ["choir", "SXSW 2026"]
        assert frame.locator("#labels .own-label .dot").first.evaluate(
            "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        choir = next(label["id"] for label in companion.get("/labels").json()["labels"] if label["name"] == "choir")
        assert companion.patch(f"/labels/{choir}", {"name": "chamber choir"}).status_code == 200
        wait_for("the renamed label in the card", lambda: frame.locator("#labels .own-label").all_inner_texts() == [
            "chamber choir", "SXSW 2026"])
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-light.png"))
        badge_requests = [r for r in requests if r.startswith(companion.base)]
        assert badge_requests == [], "pages never talk to the companion: only the background does"

        # 2. Recycled cells: the chip follows the name, and a cell never has two.
        page.goto("https://x.com/ApostleJohnW")
        wait_for("the chips", lambda: chips_match_companion(page, companion, OVERLAY["chips"]["https://x.com/ApostleJohnW"]))
        page.evaluate(RECYCLE_IN_PLACE, ["ApostleJohnW", "nikitabier"])
        wait_for("the recycled chip to follow its name", lambda: page.evaluate(
            "() => { const h = document.querySelector('[data-recycled=nikitabier] [data-rapport-chip]');"
            " return h && h.getAttribute('data-handle') === 'nikitabier' && h.getAttribute('data-stage') === '1'; }"))
        page.evaluate(RECYCLE_BY_MARKUP, ["ApostleJohnW", "monetization_x"])
        wait_for("a chip in the refilled cell", lambda: page.evaluate(
            "() => Array.from(document.querySelectorAll('[data-recycled=markup] [data-rapport-chip]'))"
            ".map(h => h.getAttribute('data-handle')).join() === 'monetization_x'"))
        assert all(chip["siblings"] == 1 for chip in chips(page))

        # 3. The tooltip, on hover: look at it in the screenshot.
        page.locator(f'{CHIPS}[data-handle="ApostleJohnW"][data-state="shown"]').first.hover()
        page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / "chromium-chip-tooltip.png"))

        # 4. A chip click opens the card; hostile text from the page is shown as text.
        hostile = OVERLAY["hostile"]
        page.locator(f'{CHIPS}[data-handle="{hostile["handle"]}"][data-state="shown"]').first.click()
        frame = panel(page)
        frame.locator("#bio").get_by_text(hostile["bio"], exact=True).wait_for(timeout=10_000)
        assert frame.locator("#bio *").count() == 0
        assert frame.locator("#note-other").input_value() == "<script>alert('notes')</script>"
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-hostile-text.png"))

        # 5. Notes typed in the card are stored, without a save button.
        frame.fill("#note-music", "Radiohead, In Rainbows")
        frame.locator("#note-books").focus()  # leaving the field saves at once
        wait_for("the note in the companion",
                 lambda: card(companion, hostile["handle"])["notes"]["music"] == "Radiohead, In Rainbows")

        # 6. A change made elsewhere reaches the open card and the chips live.
        started = time.monotonic()
        companion.patch(f"/people/{hostile['handle']}", {"notes": {"wine": "Etna Rosso"}})
        wait_for("the live note in the card", lambda: frame.locator("#note-wine").input_value() == "Etna Rosso",
                 timeout=5)
        live_card_s = time.monotonic() - started
        started = time.monotonic()
        companion.patch("/people/ApostleJohnW", {"stage": {"stage": 3, "reason": "a call on Friday"}})
        wait_for("the live stage on the chips", lambda: stages_shown(page, "ApostleJohnW") == {3}, timeout=5)
        live_chip_s = time.monotonic() - started
        print(f"live: card {live_card_s * 1000:.0f} ms, chips {live_chip_s * 1000:.0f} ms")

        # 7. Log a meeting: stage 4 on the card and on every chip of that person.
        frame.click("#log-meeting")
        frame.fill("#log-place", "Lisbon, Web Summit")
        frame.fill("#log-note", "coffee by the river")
        frame.click("#log-form button[type=submit]")
        wait_for("stage 4 in the companion", lambda: card(companion, hostile["handle"])["stage"]["current"] == 4)
        wait_for("stage 4 on the chips", lambda: stages_shown(page, hostile["handle"]) == {4})
        frame.locator("#ladder li.current").get_by_text("Met in person").wait_for(timeout=5_000)
        meeting = card(companion, hostile["handle"])["interactions"][0]
        assert [meeting[k] for k in ("kind", "place", "note")] == ["meeting", "Lisbon, Web Summit",
                                                                   "coffee by the river"]

        # 8. Someone Rapport has never seen: the keyboard opens their card from their post, and the first
        # outcome tag creates them, under the name the page shows; their chip appears.
        authors = page.evaluate(POST_AUTHORS)
        truth = badges(companion, sorted(set(authors)))
        stranger = next(h for h in authors if not truth[h]["known"])
        frame.locator("#note-books").focus()
        page.keyboard.press("Alt+Shift+KeyR")  # in the card, the shortcut closes it too
        page.locator("[data-rapport-overlay]:not([data-open])").wait_for(state="attached", timeout=5_000)
        page.mouse.click(2, 2)
        page.evaluate(FOCUS_POST_BY, stranger)  # as X's j/k does
        page.keyboard.press("Alt+Shift+KeyR")
        page.locator(f'[data-rapport-overlay][data-open="{stranger}"]').wait_for(state="attached", timeout=5_000)
        frame = panel(page)
        frame.locator("#unknown").get_by_text(f"Rapport has not seen @{stranger} yet").wait_for(timeout=10_000)
        shown_name = frame.locator("#name").inner_text()
        frame.get_by_role("button", name="Friend").click()
        wait_for("the stranger created", lambda: companion.get(f"/people/{stranger}").json().get("tags") == ["friend"],
                 shown=lambda: frame.locator("#status").inner_text())
        assert card(companion, stranger)["profile"]["display_name"] == shown_name != f"@{stranger}"
        wait_for("the stranger's chip", lambda: any(c["handle"] == stranger and c["shown"] for c in chips(page)))

        # 9. After a reload, the keyboard shortcut opens the card of the profile in view, and notes are there.
        page.reload()
        wait_for("the chips after the reload", lambda: any(c["shown"] for c in chips(page)))
        page.mouse.click(2, 2)  # the keyboard goes to the page (it was in the card before the reload)
        page.keyboard.press("Alt+Shift+KeyR")
        page.locator("[data-rapport-overlay][data-open=ApostleJohnW]").wait_for(state="attached", timeout=5_000)
        frame = panel(page)
        frame.locator("#handle").get_by_text("@ApostleJohnW").wait_for(timeout=10_000)
        assert frame.locator("#note-books").input_value() == "Dune"
        page.keyboard.press("Alt+Shift+KeyR")
        page.locator(f'{CHIPS}[data-handle="{hostile["handle"]}"][data-state="shown"]').first.click()
        frame = panel(page)
        wait_for("the notes typed before the reload",
                 lambda: frame.locator("#note-music").input_value() == "Radiohead, In Rainbows")

        # 10. Dark: the saved home timeline is in X's "Lights out" theme; the card follows it.
        page.goto("https://x.com/home")
        page.locator(f'{CHIPS}[data-handle="nikitabier"][data-state="shown"]').first.click()
        frame = panel(page)
        frame.locator("#handle").get_by_text("@nikitabier").wait_for(timeout=10_000)
        assert frame.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page.locator(f'{CHIPS}[data-handle="nikitabier"]').first.hover()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-dark.png"))
        # X's "Dim" paints the page dark blue: the card and the chips take it when the card opens again.
        page.evaluate("() => document.body.style.setProperty('background-color', 'rgb(21, 32, 43)', 'important')")
        page.mouse.click(2, 2)
        page.keyboard.press("Alt+Shift+KeyR")
        page.keyboard.press("Alt+Shift+KeyR")
        frame = panel(page)
        wait_for("the dim card", lambda: frame.evaluate("() => document.documentElement.dataset.theme") == "dim")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-dim.png"))

        # 11. Offline: an edit waits in the browser, says so, and arrives when the companion is back.
        page.goto("https://x.com/ApostleJohnW")
        page.keyboard.press("Alt+Shift+KeyR")
        frame = panel(page)
        frame.locator("#handle").get_by_text("@ApostleJohnW").wait_for(timeout=10_000)
        companion.stop()
        frame.fill("#note-sports", "Benfica")
        frame.locator("#note-books").focus()
        frame.locator("#status").get_by_text("saved in the browser").wait_for(timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-offline.png"))
        companion.start()
        wait_for("the offline edit to arrive", lambda: card(companion, "ApostleJohnW")["notes"]["sports"] == "Benfica",
                 timeout=60)
        assert errors == [], "\n".join(errors)


# What has the keyboard in the card: the tag, id and name of the focused control, and whether it shows a ring.
FOCUSED_IN_CARD = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().slice(0, 40),
          ring: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
}"""
FOCUSED_CHIP = "() => document.activeElement?.getAttribute('data-handle') ?? null"


def tab_to_chip(page: Any, handle: str, limit: int = 300) -> None:
    """Tab through the page, as a keyboard user does, until the focus is on `handle`'s chip."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_CHIP) == handle:
            return
    raise AssertionError(f"{limit} presses of Tab never reached the chip of @{handle}")


def test_the_chip_and_the_card_work_by_keyboard_alone(playwright: Any, data_dir: Path, tmp_path: Path) -> None:
    with paired_on_x(playwright, data_dir, tmp_path) as (companion, page, errors):
        page.goto("https://x.com/notifications")
        carol = page.locator(f'{CHIPS}[data-handle="carol_sings"][data-state="shown"]')
        wait_for("Carol's chip", lambda: carol.count() > 0)
        page.mouse.click(2, 2)
        tab_to_chip(page, "carol_sings")
        page.screenshot(path=str(ARTIFACTS / "chromium-chip-focused.png"))

        # Enter on the chip opens the card, and the keyboard is in it.
        page.keyboard.press("Enter")
        page.locator('[data-rapport-overlay][data-open="carol_sings"]').wait_for(state="attached", timeout=5_000)
        frame = panel(page)
        wait_for("Carol's notes", lambda: frame.locator("#note-music").input_value() == "Radiohead")
        assert frame.evaluate("() => document.hasFocus()") is True

        # Tab reaches every control, in the order the card reads, each with a visible focus ring.
        order: list[dict[str, Any]] = []
        for _ in range(60):
            page.keyboard.press("Tab")
            now = frame.evaluate(FOCUSED_IN_CARD)
            if now is None or (order and now == order[0]):
                break
            order.append(now)
        ids = [f["id"] for f in order]
        assert all(f["ring"] for f in order), [f for f in order if not f["ring"]]
        assert {f["tag"] for f in order} <= {"a", "button", "select", "textarea", "input", "summary"}, order
        for earlier, later in [("close", "reached-out"), ("reached-out", "cadence-select"),
                               ("cadence-select", "log-call"), ("log-call", "note-books")]:
            assert ids.index(earlier) < ids.index(later), ids
        tags = [f["text"] for f in order if f["tag"] == "button" and f["text"] in ("Customer", "Friend", "Vendor")]
        assert tags == ["Customer", "Vendor", "Friend"], order
        print("the card's Tab order:", " ".join(f["id"] or f["text"] for f in order))

        # A tag with Space, a call logged with Enter: no mouse.
        frame.get_by_role("button", name="Referral partner").focus()
        page.keyboard.press("Tab")
        assert frame.evaluate(FOCUSED_IN_CARD) == {"tag": "button", "id": "", "text": "Vendor", "ring": True}
        page.screenshot(path=str(ARTIFACTS / "chromium-overlay-keyboard.png"))
        page.keyboard.press("Space")
        wait_for("the tag from the keyboard", lambda: "vendor" in card(companion, "carol_sings")["tags"])
        frame.locator("#log-call").focus()
        page.keyboard.press("Enter")
        assert frame.evaluate("() => document.activeElement.id") == "log-date"
        page.keyboard.press("Escape")  # Esc closes the card (the form with it) ...

        # ... and the focus is back on the chip it was opened from.
        page.locator("[data-rapport-overlay]:not([data-open])").wait_for(state="attached", timeout=5_000)
        wait_for("the focus back on Carol's chip", lambda: page.evaluate(FOCUSED_CHIP) == "carol_sings")
        page.keyboard.press("Space")  # Space opens it too
        page.locator('[data-rapport-overlay][data-open="carol_sings"]').wait_for(state="attached", timeout=5_000)
        page.keyboard.press("Escape")
        page.locator("[data-rapport-overlay]:not([data-open])").wait_for(state="attached", timeout=5_000)
        wait_for("the focus back on Carol's chip", lambda: page.evaluate(FOCUSED_CHIP) == "carol_sings")
        assert errors == [], "\n".join(errors)
