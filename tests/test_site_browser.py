"""The show's index.html in a real browser (headless Chromium): opened from disk and served by `papercast serve`.

A listener sees the cover, a player per episode whose audio loads, the chapters, working transcript and
chapter links, and the feed address to subscribe to. On a failure the page is kept as a screenshot.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from audio.measure import decoded_duration
from rendered_show import SLUGS, serving, shared_show

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")

# What each episode on the page shows, read in the page itself.
EPISODES_JS = """
return [...document.querySelectorAll('main article')].map(article => ({
  id: article.id,
  title: article.querySelector('h3') && article.querySelector('h3').textContent,
  audio: [...article.querySelectorAll('audio')].map(audio => audio.currentSrc || audio.src),
  chapters: [...article.querySelectorAll('ol.chapters li')].map(li => li.textContent),
  links: Object.fromEntries([...article.querySelectorAll('a[href]')].map(a => [a.textContent, a.href])),
}));
"""

# Waits for every <audio> to load its metadata (or fail), then reports what each one got.
AUDIO_JS = """
const done = arguments[arguments.length - 1];
const report = audio => ({src: audio.currentSrc, readyState: audio.readyState, duration: audio.duration,
                          error: audio.error ? audio.error.code + ' ' + audio.error.message : null});
Promise.all([...document.querySelectorAll('audio')].map(audio => new Promise(resolve => {
  if (audio.readyState >= 1 || audio.error) return resolve(report(audio));
  audio.addEventListener('loadedmetadata', () => resolve(report(audio)), {once: true});
  audio.addEventListener('error', () => resolve(report(audio)), {once: true});
  if (audio.networkState === HTMLMediaElement.NETWORK_EMPTY || audio.preload === 'none') audio.load();
}))).then(done);
"""

# Fetches each URL from the page (same origin when served) and reports status, type and the start of the body.
FETCH_JS = """
const done = arguments[arguments.length - 1];
Promise.all(arguments[0].map(url => fetch(url).then(
  response => response.text().then(body => ({url, status: response.status,
                                             type: response.headers.get('content-type'), head: body.slice(0, 200)})),
  error => ({url, status: 0, type: null, head: String(error)})))).then(done);
"""

IMAGE_JS = """
const done = arguments[arguments.length - 1];
const image = document.querySelector('header img');
if (!image) return done(null);
const report = () => done({src: image.currentSrc, complete: image.complete, naturalWidth: image.naturalWidth});
if (image.complete) report(); else { image.addEventListener('load', report); image.addEventListener('error', report); }
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(output folder, served site URL): two episodes, base_url being the address they are served on."""
    root, port = shared_show(tmp_path_factory)
    with serving(root, port) as url:
        yield root / "output", url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--mute-audio", "--window-size=1000,1400",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def save_page(driver, path: Path) -> Path:
    """A screenshot of the whole page, however long."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1000, "height": min(int(height), 8000), "deviceScaleFactor": 1, "mobile": False})
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return path


class Page(NamedTuple):
    driver: object
    how: str  # "file" or "served"
    output: Path
    screenshot: Path


@pytest.fixture(params=["file", "served"])
def page(request, site, browser, tmp_path):
    """The site opened in the browser, from disk (file://) or from `papercast serve`. With -v a screenshot
    of the passing page is kept too (run with -s to see where)."""
    output, url = site
    browser.get((output / "index.html").as_uri() if request.param == "file" else url)
    opened = Page(browser, request.param, output, tmp_path / f"site-{request.param}.png")
    yield opened
    if request.config.getoption("verbose") > 0:
        print(f"screenshot of the page: {save_page(browser, opened.screenshot)}")


def keeps_a_screenshot_on_failure(test):
    """Save what the browser showed when the test fails, and print where (shown with the failure)."""
    @functools.wraps(test)
    def checked(*args, **kwargs):
        page = kwargs["page"]
        try:
            return test(*args, **kwargs)
        except BaseException:
            print(f"screenshot of the failing page: {save_page(page.driver, page.screenshot)}")
            raise
    return checked


@needs_chromium
@keeps_a_screenshot_on_failure
def test_the_cover_image_loads(page):
    driver = page.driver

    image = driver.execute_async_script(IMAGE_JS)

    assert image is not None, "no cover <img> in the page header"
    assert image["complete"] and image["naturalWidth"] > 0, image
    assert image["src"].endswith("/cover.jpg")


@needs_chromium
@keeps_a_screenshot_on_failure
def test_each_episode_has_a_player_whose_audio_loads(page):
    driver, output = page.driver, page.output

    episodes = driver.execute_script(EPISODES_JS)
    players = driver.execute_async_script(AUDIO_JS)

    assert [episode["id"] for episode in episodes] == list(reversed(SLUGS)), "newest episode first"
    assert all(len(episode["audio"]) == 1 for episode in episodes)
    assert len(players) == 2
    for player in players:
        assert player["error"] is None, player
        assert player["readyState"] >= 1, player
        name = unquote(urlsplit(player["src"]).path).rsplit("/", 1)[1]
        assert abs(player["duration"] - decoded_duration(output / "episodes" / name)) < 0.5, player


@needs_chromium
@keeps_a_screenshot_on_failure
def test_chapter_lists_match_the_chapters_files(page):
    driver, output = page.driver, page.output

    for episode in driver.execute_script(EPISODES_JS):
        document = json.loads((output / "chapters" / f"{episode['id']}.json").read_text(encoding="utf-8"))
        assert len(episode["chapters"]) == len(document["chapters"]) >= 2
        for shown, chapter in zip(episode["chapters"], document["chapters"]):
            assert shown.endswith(chapter["title"]), (shown, chapter)


@needs_chromium
@keeps_a_screenshot_on_failure
def test_transcript_chapter_and_download_links_resolve(page):
    driver, how, output, _ = page
    episodes = driver.execute_script(EPISODES_JS)
    wanted = {"Transcript": ".vtt", "(SRT)": ".srt", "Chapters (JSON)": ".json", "Download audio": ".mp3"}
    links = [episode["links"][text] for episode in episodes for text in wanted]
    assert all(link.endswith(suffix) for link, suffix in zip(links, list(wanted.values()) * len(episodes)))

    if how == "file":  # a page from disk may not fetch() its neighbours; the files it points at must exist
        for link in links:
            assert urlsplit(link).scheme == "file"
            assert Path(unquote(urlsplit(link).path)).is_file(), link
        return
    fetched = driver.execute_async_script(FETCH_JS, [link for link in links if not link.endswith(".mp3")])
    for answer in fetched:
        assert answer["status"] == 200, answer
        if answer["url"].endswith(".vtt"):
            assert answer["type"].startswith("text/vtt") and answer["head"].startswith("WEBVTT"), answer
        if answer["url"].endswith(".json"):
            assert answer["type"] == "application/json" and '"version": "1.2.0"' in answer["head"], answer


@needs_chromium
@keeps_a_screenshot_on_failure
def test_the_feed_address_to_subscribe_to_is_shown_and_is_the_feed(page, site):
    driver, how, output, _ = page
    _, url = site

    shown = driver.execute_script("return document.getElementById('feed-url').value")
    alternate = driver.execute_script(
        "return document.querySelector('link[rel=alternate][type=\"application/rss+xml\"]').href")
    visible = driver.execute_script("const box = document.getElementById('feed-url').getBoundingClientRect();"
                                    "return box.width > 200 && box.height > 10")

    assert shown == f"{url}feed.xml"
    assert visible
    assert alternate == urljoin(driver.current_url, "feed.xml")
    if how == "served":
        [answer] = driver.execute_async_script(FETCH_JS, [shown])
        assert answer["status"] == 200 and "<rss" in answer["head"], answer


@needs_chromium
@keeps_a_screenshot_on_failure
def test_a_chapter_time_seeks_its_episodes_player_without_leaving_the_page(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver, output = page.driver, page.output
    article = driver.find_elements(By.CSS_SELECTOR, "main article")[0]
    document = json.loads((output / "chapters" / f"{article.get_attribute('id')}.json").read_text(encoding="utf-8"))
    start = document["chapters"][1]["startTime"]
    address = driver.current_url

    article.find_elements(By.CSS_SELECTOR, "ol.chapters a")[1].click()

    player = article.find_element(By.TAG_NAME, "audio")
    WebDriverWait(driver, 10).until(lambda _: abs(float(player.get_property("currentTime")) - start) < 0.25)
    assert driver.current_url == address  # the page stays; its player moved
