"""The blueprint (`grpo-sym html`): built once, opened in a real browser.

Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
selenium) loads pages from disk, as a reader would open them: no server, no
network.  The README's test command installs the browser and Graphviz; a
missing one is a failure, not a skip.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grpo_sym.cli import main
from grpo_sym.render.html import write_site
from grpo_sym.render.model import blueprint_page, notebook_path

ROOT = Path(__file__).resolve().parents[1]
BROWSER, DRIVER = "chromium", "chromedriver"


def test_browser_and_graphviz_are_installed():
    missing = [t for t in (BROWSER, DRIVER, "dot") if shutil.which(t) is None]
    assert not missing, f"{missing} missing: run the README's test command (scripts/test.sh)"


@pytest.fixture(scope="session")
def site(tmp_path_factory, registry, results):
    """The site, from the session's verification."""
    out = tmp_path_factory.mktemp("blueprint")
    write_site(str(out), registry=registry, results=results)
    return out


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


def test_every_claim_has_its_page_and_every_link_resolves(site, registry):
    pages = _pages(site)
    missing = [c.id for c in registry if blueprint_page(c.id) not in pages]
    assert not missing, missing[:10]
    broken = []
    for path, text in pages.items():
        for link in re.findall(r'(?:href|src|xlink:href)="([^"#]+)[^"]*"', text):
            target = os.path.normpath(os.path.join(os.path.dirname(path), link))
            if target.startswith(".." + os.sep):     # beside the site: the notebooks
                exists = (ROOT / "notebooks" / os.path.basename(target)).exists()
            else:
                exists = (site / target).exists()
            if not exists:
                broken.append((path, link))
    assert not broken, broken[:10]


def test_claim_page_shows_everything_the_claim_has(site, registry):
    eq14 = (site / blueprint_page("eq14")).read_text(encoding="utf-8")
    for part in ("Sec. 2.3.1, (14)", "<h2>Statement</h2>", "<h2>Assumptions</h2>",
                 "<h2>Derivation</h2>", "<h2>Uses</h2>", "<h2>Used by</h2>",
                 "<h2>Ancestors</h2>", "<svg", "Generality", "Confirmed by",
                 os.path.basename(notebook_path(registry["eq14"]))):
        assert part in eq14, part
    for used in registry["eq14"].uses:
        assert f'href="../{blueprint_page(used.id)}"' in eq14
    printed = next(c for c in registry if c.expected.value == "refuted" and c.corrected_by)
    page = (site / blueprint_page(printed.id)).read_text(encoding="utf-8")
    assert "<h2>Counterexample</h2>" in page and "Corrected by" in page
    assert f'href="../{blueprint_page(printed.corrected_by.id)}"' in page
    errata = (site / "errata.html").read_text(encoding="utf-8")
    refuted = [c.id for c in registry if c.expected.value == "refuted"]
    assert all(f'href="{blueprint_page(cid)}"' in errata for cid in refuted)


def test_graph_has_every_claim_coloured_by_status_and_linked(site, registry):
    graph = (site / "graph.html").read_text(encoding="utf-8")
    for c in registry:
        assert f'xlink:href="{blueprint_page(c.id)}"' in graph, c.id
    assert "#fdd0a2" in graph and "#c7e9c0" in graph     # errata and proved claims


def test_site_is_byte_identical_across_builds(site, results, tmp_path):
    """A second build, in another process with another hash seed (set and dict
    order), through the command line, reading the session's cached results."""
    out = tmp_path / "again"
    proc = subprocess.run([sys.executable, "-m", "grpo_sym.cli", "html", "-o", str(out)],
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    first = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert first == second
    differ = [name for name in sorted(first)
              if (site / name).read_bytes() != (out / name).read_bytes()]
    assert not differ, differ[:10]


def test_bundled_katex_is_the_recorded_version_with_its_licence():
    from grpo_sym.render.html import KATEX_VERSION
    katex = ROOT / "grpo_sym" / "render" / "assets" / "katex"
    assert f'version:"{KATEX_VERSION}"' in (katex / "katex.min.js").read_text(encoding="utf-8")
    assert f"KaTeX {KATEX_VERSION}" in (katex / "README.md").read_text(encoding="utf-8")
    assert (katex / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")
    fonts = {f.name for f in (katex / "fonts").glob("*.woff2")}
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    assert fonts and fonts == set(re.findall(r"fonts/([\w-]+\.woff2)", css))


def test_cli_checks_the_output_path_first(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["html", "-o", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-o" in err and "not a directory" in err


# -- in the browser -------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which(BROWSER)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the driver is Debian's: selenium must not look for one on the network
    driver = webdriver.Chrome(service=Service(shutil.which(DRIVER)), options=options)
    yield driver
    driver.quit()


def _open(browser, site: Path, page: str) -> list[dict]:
    """Load ``page`` from disk; the console's messages while it loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")              # forget earlier pages' messages
    browser.get((site / page).as_uri())
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    return browser.get_log("browser")


# what typeset math leaves, page by page (the page's own checks below)
MATH_STATE = """
return {
  katex: document.querySelectorAll('.katex').length,
  errors: document.querySelectorAll('.katex-error').length,
  untypeset: Array.from(document.querySelectorAll('.tex')).filter(
      el => !el.querySelector('.katex')).length,
  dollars: (document.body.innerText.match(/\\$[^$\\n]+\\$/g) || []).length,
  backslashes: (document.querySelector('main').innerText.match(/\\\\(frac|left|pi|beta)/g)
                || []).length
};
"""


@pytest.mark.parametrize("page, math", [("index.html", True), (blueprint_page("eq14"), True),
                                        ("graph.html", False), ("errata.html", True)])
def test_page_loads_without_errors_with_math_typeset(browser, site, tmp_path, page, math):
    messages = _open(browser, site, page)
    errors = [m for m in messages if m.get("level") == "SEVERE"]
    assert not errors, errors[:5]
    state = browser.execute_script(MATH_STATE)
    assert state["errors"] == 0 and state["untypeset"] == 0, state
    assert state["dollars"] == 0 and state["backslashes"] == 0, state   # no raw LaTeX left
    assert (state["katex"] > 0) == math, state
    if page == "graph.html":
        nodes = browser.execute_script("return document.querySelectorAll('svg g.node').length")
        assert nodes > 100
    shot = tmp_path / (Path(page).stem + ".png")
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_search_box_finds_a_claim_by_id_and_by_prose(browser, site):
    from selenium.webdriver.common.by import By

    _open(browser, site, "index.html")
    box = browser.find_element(By.ID, "search")
    box.send_keys("eq14")
    hits = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
    assert hits and hits[0].get_attribute("href").endswith("/" + blueprint_page("eq14"))
    box.clear()
    box.send_keys("unique non-negative root")
    hrefs = [a.get_attribute("href") for a in
             browser.find_elements(By.CSS_SELECTOR, "#search-results a")]
    assert any(h.endswith("/" + blueprint_page("eq14")) for h in hrefs)

