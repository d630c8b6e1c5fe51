"""Plots with a slider (``<lossref-plot>``): the curves are lossref's own numbers, computed at build
time; a page gains at most 30 KB gzipped; in Chromium the arrow keys move the curves without Python,
in both colour schemes, and without JavaScript the static plot stays."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import lossref as lr
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "javascripts" / "interactive-plot.js"
BUDGET = 30 * 1024  # bytes, gzipped: the script and the page's curves

# The tests' own list: page, element id, loss, parameter, and what the curves are drawn against.
PLOTS = [
    ("losses/huber/", "huber-live", "huber", "delta", "residual"),
    ("losses/huber/", "smooth-l1-live", "smooth_l1", "beta", "residual"),
    ("losses/quantile/", "quantile-live", "quantile", "tau", "residual"),
    ("losses/focal/", "focal-live", "focal", "gamma", "positive logit"),
    ("losses/cross-entropy/", "ce-live", "cross_entropy", "label_smoothing", "two-class lead"),
    ("losses/bce/", "bce-logits-live", "bce_with_logits", "pos_weight", "logit, y = 1 and y = 0"),
    ("losses/multiclass-hinge/", "multiclass-hinge-live", "multiclass_hinge", "margin", "two-class lead"),
]
PAGES = sorted({p[0] for p in PLOTS})


def _element(built_site: Path, page: str, slug: str) -> str:
    text = (built_site / page / "index.html").read_text()
    match = re.search(rf'<lossref-plot class="lossref-interactive" id="{slug}">(.*?)</lossref-plot>', text, re.S)
    assert match, f"{page}: no <lossref-plot id={slug!r}>"
    return match[1]


def _data(element: str) -> dict:
    payload = re.search(r'<script type="application/json" class="lossref-interactive__data">(.*?)</script>',
                        element, re.S)
    assert payload, "no curve data in the element"
    return json.loads(payload[1])


def _x(data: dict) -> np.ndarray:
    return np.linspace(*data["x"][:2], data["x"][2])


def _expected(name: str, param: str, value: float, axis: str, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(loss, derivative)`` per curve, from lossref, written out here independently of lossdocs."""
    loss = lr.get(name)
    kw = {param: value}
    if axis == "residual":  # y = 0, prediction = residual
        y, pred = np.zeros_like(x), x
        return [(loss(y, pred, reduction="none", **kw), loss.grad(y, pred, reduction="none", **kw))]
    if axis == "positive logit":  # label 1, logit on the axis
        y = np.ones_like(x)
        return [(loss(y, x, reduction="none", **kw), loss.grad(y, x, reduction="none", **kw))]
    if axis == "two-class lead":  # scores (x, 0), class 0 true: the derivative in the first score
        scores = np.column_stack([x, np.zeros_like(x)])
        y = np.zeros(len(x), dtype=np.int64)
        return [(loss(y, scores, reduction="none", **kw), loss.grad(y, scores, reduction="none", **kw)[:, 0])]
    curves = []
    for t in (1.0, 0.0):
        y = np.full_like(x, t)
        curves.append((loss(y, x, reduction="none", **kw), loss.grad(y, x, reduction="none", **kw)))
    return curves


# ----------------------------------------------------------------------------------- the built pages
@pytest.mark.parametrize("page, slug, name, param, axis", PLOTS, ids=[p[1] for p in PLOTS])
def test_each_plot_has_a_labelled_slider_and_lossrefs_curves(built_site, page, slug, name, param, axis):
    element = _element(built_site, page, slug)
    label = re.search(rf'<label for="{slug}-slider">([^<]+)</label>', element)
    assert label and param in label[1], f"the slider's label does not name {param}"
    data = _data(element)
    n = len(data["values"])
    assert 20 <= n <= 40, f"{n} parameter values"
    slider = re.search(rf'<input type="range" id="{slug}-slider" min="0" max="(\d+)" step="1" value="(\d+)"', element)
    assert slider and int(slider[1]) == n - 1 and int(slider[2]) == data["start"]
    output = re.search(rf'<output for="{slug}-slider"[^>]*>([^<]+)</output>', element)
    assert output and html.unescape(output[1]) == f"{data['symbol']} = {data['values'][data['start']]}"
    assert data["name"] == name and data["param"] == param
    # Without JavaScript: the two panels at the start value, as static SVG with an accessible name.
    assert element.count('<svg') == 2 and element.count('role="img"') == 2 and "<path" in element

    x = _x(data)
    for k in sorted({0, data["start"], n // 2, n - 1}):
        value = float(data["values"][k])
        for series, (loss, grad) in zip(data["series"], _expected(name, param, value, axis, x), strict=True):
            for panel, want in ((0, loss), (1, grad)):
                got = np.asarray(series["grad" if panel else "loss"][k])
                lo, hi = data["ylim"][panel]
                np.testing.assert_allclose(got, want, rtol=0, atol=1e-3 * (hi - lo),
                                           err_msg=f"{slug}: {'derivative' if panel else 'loss'} at {param}={value}")
                assert lo <= want.min() and want.max() <= hi, "a curve leaves the plot"


@pytest.mark.parametrize("page", PAGES)
def test_a_slider_adds_at_most_30_kb_gzipped(built_site, page):
    """Everything the plots with a slider add to a page: the script, the curves' data, the slider
    and the static panels (what a reader without JavaScript sees), each gzipped on its own."""
    text = (built_site / page / "index.html").read_text()
    elements = re.findall(r'<div class="lossref-interactive-host">.*?</lossref-plot></div>', text, re.S)
    payloads = re.findall(r'<script type="application/json" class="lossref-interactive__data">.*?</script>', text, re.S)
    assert elements and len(payloads) == len(elements)
    script = (built_site / "javascripts" / "interactive-plot.js").read_bytes()
    assert script == SCRIPT.read_bytes()
    data = len(gzip.compress(script, 9)) + len(gzip.compress("".join(payloads).encode(), 9))
    assert data <= BUDGET, f"{page}: the script and the data take {data} bytes gzipped"
    added = len(gzip.compress(script, 9)) + len(gzip.compress("".join(elements).encode(), 9))
    assert added <= BUDGET, f"{page}: the script and the elements take {added} bytes gzipped"


def test_only_pages_with_a_slider_load_its_script(built_site):
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text()
        loads = "javascripts/interactive-plot.js" in text
        assert loads == ("<lossref-plot" in text), path.relative_to(built_site)
        if loads:
            head = text[:text.index("</head>")]
            assert '<script type="module" src="' in head and "interactive-plot.js" in head
            assert "<noscript><style>.lossref-interactive__controls{display:none}</style></noscript>" in head
    script = SCRIPT.read_text()
    assert "eval(" not in script and "new Function" not in script and "import(" not in script


# What the sentences next to the plots say, checked on the curves the pages carry.
def _curves(built_site, slug):
    page = next(p[0] for p in PLOTS if p[1] == slug)
    data = _data(_element(built_site, page, slug))
    return data, _x(data), [float(v) for v in data["values"]]


def test_the_sentences_beside_the_plots_hold(built_site):
    data, x, values = _curves(built_site, "huber-live")
    assert [r["label"] for r in data["refs"]] == ["½ r²", "|r|"]
    for k, delta in enumerate(values):  # the derivative is the residual, clipped to [-delta, delta]
        np.testing.assert_allclose(data["series"][0]["grad"][k], np.clip(x, -delta, delta), atol=1e-3)
        loss, inside = np.asarray(data["series"][0]["loss"][k]), np.abs(x) <= delta
        np.testing.assert_allclose(loss[inside], np.asarray(data["refs"][0]["loss"])[inside], atol=0)  # the half square
        np.testing.assert_allclose(loss[~inside], delta * np.abs(x[~inside]) - delta**2 / 2, atol=5e-3)  # its tangent
    data, x, values = _curves(built_site, "smooth-l1-live")
    for k, beta in enumerate(values):  # saturates at +-1 for every beta; beta = 0 is the absolute error
        grad = np.asarray(data["series"][0]["grad"][k])
        assert grad.max() == 1 and grad.min() == -1
        if beta > 0:  # linear with slope 1/beta in the zone |r| < beta
            np.testing.assert_allclose(grad, np.clip(x / beta, -1, 1), atol=1e-3)
        if beta == 0:
            np.testing.assert_allclose(data["series"][0]["loss"][k], data["refs"][0]["loss"], atol=0)
    data, x, values = _curves(built_site, "quantile-live")
    for k, tau in enumerate(values):  # slopes -tau and 1 - tau: a step of 1 at r = 0
        grad = np.asarray(data["series"][0]["grad"][k])
        np.testing.assert_allclose(grad[x < 0], -tau, atol=1e-3)
        np.testing.assert_allclose(grad[x > 0], 1 - tau, atol=1e-3)
    data, x, values = _curves(built_site, "focal-live")
    assert values[0] == 0 and values[1] == 0.125 and values[-1] == 8  # "from 1/8 to 8 and with 0 first"
    assert np.allclose(np.diff(np.log(values[1:])), np.log(2) / 4, rtol=0.05)  # even steps, up to rounding to 3 digits
    np.testing.assert_allclose(data["series"][0]["loss"][0], data["refs"][0]["loss"], atol=0)
    np.testing.assert_allclose(data["series"][0]["grad"][0], data["refs"][0]["grad"], atol=0)
    right = x > 0
    for key in ("loss", "grad"):  # both sink towards 0 on the right side as gamma grows
        size = np.abs(np.asarray(data["series"][0][key]))[:, right]
        assert (np.diff(size, axis=0) <= 0).all()
        assert size[-1].max() < 0.05 * size[0].max()
    data, x, values = _curves(built_site, "ce-live")
    for k, eps in enumerate(values):  # eps = 0: negative, fading; eps > 0: crosses 0 once, positive beyond
        grad = np.asarray(data["series"][0]["grad"][k])
        if eps == 0:
            assert (grad < 0).all() and abs(grad[-1]) < 0.01
        else:
            signs = np.sign(grad)
            assert signs[0] < 0 and signs[-1] > 0 and np.count_nonzero(np.diff(signs[signs != 0])) == 1
    data, x, values = _curves(built_site, "bce-logits-live")
    positive, negative = data["series"]
    assert positive["label"] == "y = 1" and negative["label"] == "y = 0"
    one = values.index(1.0)
    assert values[0] == 0.25 and values[-1] == 4  # "on a log scale from 0.25 to 4"
    assert np.allclose(np.diff(np.log(values)), np.log(2) / 5, rtol=0.05)
    for k, w in enumerate(values):  # y = 0 does not move; y = 1 is multiplied by pos_weight
        assert negative["loss"][k] == negative["loss"][one] and negative["grad"][k] == negative["grad"][one]
        for panel, key in enumerate(("loss", "grad")):  # each rounded to 1/1000 of the panel's span
            atol = (1 + w) * 1e-3 * (data["ylim"][panel][1] - data["ylim"][panel][0])
            np.testing.assert_allclose(positive[key][k], w * np.asarray(positive[key][one]), atol=atol, rtol=0)
    data, x, values = _curves(built_site, "multiclass-hinge-live")
    for k, margin in enumerate(values):  # 0 from m = margin on; the derivative steps from -1 to 0 there
        loss, grad = np.asarray(data["series"][0]["loss"][k]), np.asarray(data["series"][0]["grad"][k])
        assert (loss[x >= margin - 1e-9] == 0).all() and (loss[x < margin - 1e-9] > 0).all()
        assert (grad[x < margin - 1e-9] == -1).all() and (grad[x > margin + 1e-9] == 0).all()


# ----------------------------------------------------------------------------------- Chromium
def _curve_d(plot) -> list[str]:
    """The ``d`` of the first live curve in each panel (the legend's sample lines excluded)."""
    return plot.evaluate("""e => [...e.querySelectorAll('svg.lossref-interactive__live')].map(svg =>
        svg.querySelector(':scope > path.lossref-interactive__curve--0').getAttribute('d'))""")


@pytest.mark.parametrize("path", PAGES)
def test_the_arrow_keys_move_the_curves_without_python(page, base_url, path):
    """Nor Material's bundle: the plots need only their own script."""
    bundle = []
    page.route(re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$"),
               lambda route: (bundle.append(route.request.url), route.abort()))
    page.goto(base_url + path, wait_until="networkidle")
    for slug in [p[1] for p in PLOTS if p[0] == path]:
        plot = page.locator(f"lossref-plot#{slug}")
        plot.locator("svg.lossref-interactive__live").first.wait_for()
        data = json.loads(plot.locator("script.lossref-interactive__data").text_content())
        slider = plot.get_by_role("slider", name=re.compile(data["param"]))
        output = plot.locator("output")
        before = _curve_d(plot)
        assert len(before) == 2 and all(before)
        svg = plot.locator("svg.lossref-interactive__live").first
        label_before = svg.get_attribute("aria-label")
        slider.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        want = f"{data['symbol']} = {data['values'][data['start'] + 3]}"
        assert output.text_content() == want
        assert slider.get_attribute("aria-valuetext") == want
        after = _curve_d(plot)
        assert after[0] != before[0] and after[1] != before[1], f"{slug}: the curves did not move"
        assert want in svg.get_attribute("aria-label") and svg.get_attribute("aria-label") != label_before
        page.keyboard.press("ArrowLeft")
        assert output.text_content() == f"{data['symbol']} = {data['values'][data['start'] + 2]}"
    page.wait_for_timeout(500)
    assert bundle, "the test did not keep Material's bundle away"
    page.errors[:] = [e for e in page.errors if "bundle" not in e and "net::ERR_FAILED" not in e]
    python = [url for url in page.requests if "/pyodide/" in url or "/practice/worker" in url or url.endswith(".whl")]
    assert not python, f"Python was loaded: {python}"
    assert page.hosts() == {"127.0.0.1"}
    assert not page.errors, page.errors


def _stroke_and_background(page, slug):
    return page.evaluate(f"""() => {{
        const path = document.querySelector('lossref-plot#{slug} svg.lossref-interactive__live > path.lossref-interactive__curve--0');
        return [getComputedStyle(path).stroke, getComputedStyle(document.body).backgroundColor,
                document.body.getAttribute('data-md-color-scheme')];
    }}""")


def test_the_curves_follow_both_colour_schemes(browser, base_url):
    strokes = {}
    for scheme, material in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + "losses/huber/", wait_until="networkidle")
        page.locator("lossref-plot#huber-live svg.lossref-interactive__live").first.wait_for()
        page.locator("lossref-plot#huber-live").get_by_role("slider", name=re.compile("delta")).focus()
        page.keyboard.press("ArrowRight")  # a first interaction: Material's bundle applies the scheme
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{material}'")
        stroke, background, _ = _stroke_and_background(page, "huber-live")
        assert stroke != background and stroke not in ("none", "rgba(0, 0, 0, 0)"), (scheme, stroke, background)
        strokes[scheme] = stroke
        context.close()
    assert strokes["light"] != strokes["dark"], "the curve keeps one colour in both schemes"


@pytest.mark.parametrize("width", [1280, 360])
def test_without_javascript_the_static_plot_stays_in_the_same_box(browser, base_url, width):
    boxes = {}
    for js in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
        page = context.new_page()
        page.goto(base_url + "losses/huber/", wait_until="networkidle")
        plot = page.locator("lossref-plot#huber-live")
        if js:
            plot.locator("svg.lossref-interactive__live").first.wait_for()
            assert plot.locator("input[type=range]").is_visible()
        else:
            assert plot.locator("svg.lossref-plot path").count() > 2, "no static curves"
            assert plot.locator("svg title").first.text_content().endswith("δ = 1")
            assert not plot.locator("input[type=range]").is_visible(), "a slider that cannot move the plot"
        boxes[js] = [plot.locator(".lossref-interactive__panel").nth(i).bounding_box() for i in range(2)]
        context.close()
    for static, live in zip(boxes[False], boxes[True]):
        assert abs(static["width"] - live["width"]) < 1 and abs(static["height"] - live["height"]) < 1
    if width == 360:  # stacked on a phone
        assert boxes[True][1]["y"] >= boxes[True][0]["y"] + boxes[True][0]["height"] - 1


def test_the_live_plot_does_not_shift_the_page(page, base_url):
    """The live panels take the static panels' box: no layout shift comes from the plots."""
    page.goto(base_url + "losses/huber/", wait_until="networkidle")
    page.locator("lossref-plot#smooth-l1-live svg.lossref-interactive__live").first.wait_for()
    shifts = page.evaluate("""() => new Promise(resolve => {
        new PerformanceObserver(list => resolve(list.getEntries().flatMap(entry =>
            entry.sources.filter(s => s.node && s.node.closest && s.node.closest('lossref-plot'))
                         .map(s => s.node.outerHTML.slice(0, 80)))))
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve([]), 1000);
    })""")
    assert not shifts, shifts


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_in_the_plots(browser, base_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        for path in ("losses/huber/", "losses/bce/"):
            page.goto(base_url + path, wait_until="networkidle")
            page.locator("lossref-plot").first.get_by_role("slider").focus()  # loads Material: the scheme applies
            page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === "
                                   f"'{'slate' if scheme == 'dark' else 'default'}'")
            page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
            result = page.evaluate("axe.run({include: [['lossref-plot']]}, {resultTypes: ['violations']})")
            serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                       for v in result["violations"] if v["impact"] in ("serious", "critical")]
            assert not serious, json.dumps(serious, indent=1)
    finally:
        context.close()


# ----------------------------------------------------------------------------------- the helper
def test_the_helper_names_a_wrong_parameter_or_start(lossdocs):
    with pytest.raises(ValueError, match="param must be a parameter of huber"):
        lossdocs.interactive_plot("huber", "beta", [0.5, 1.0], label="β", symbol="β", slug="x", description="")
    with pytest.raises(ValueError, match="start must be one of the values"):
        lossdocs.interactive_plot("huber", "delta", [0.5, 2.0], label="δ", symbol="δ", slug="x", description="")
    with pytest.raises(ValueError, match="axis must be"):
        lossdocs.interactive_plot("huber", "delta", [1.0], label="δ", symbol="δ", slug="x", description="",
                                  axis="probability")


def test_the_helper_shows_the_value_it_computes(lossdocs):
    """Values are rounded to 3 significant digits before lossref sees them, so that the value the
    reader reads is the value the curve was computed at."""
    out = lossdocs.interactive_plot("quantile", "tau", [1 / 3, 0.5], label="τ (tau)", symbol="τ", slug="q",
                                    description="")
    data = json.loads(re.search(r'class="lossref-interactive__data">(.*?)</script>', out, re.S)[1])
    assert data["values"] == ["0.333", "0.5"]
    x = _x(data)
    want = lr.quantile.grad(np.zeros_like(x), x, reduction="none", tau=0.333)
    np.testing.assert_allclose(data["series"][0]["grad"][0], want, atol=1e-3)
    assert "<lossref-plot" in out and 'aria-valuetext="τ = 0.5"' in out and "<script>" not in out


def test_the_plots_work_under_a_strict_content_security_policy(page, base_url):
    """The policy the site is served with: scripts from the site only (no inline code, no eval),
    inline styles allowed. The plots need nothing of the kind."""
    csp = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; font-src 'self'")

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})

    page.route(base_url + "losses/huber/", with_policy)
    page.add_init_script("""window.violations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.violations.push([e.effectiveDirective, e.blockedURI, e.sample]));""")
    page.goto(base_url + "losses/huber/", wait_until="networkidle")
    plot = page.locator("lossref-plot#huber-live")
    plot.locator("svg.lossref-interactive__live").first.wait_for()
    before = _curve_d(plot)
    plot.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    assert _curve_d(plot) != before
    assert page.evaluate("window.violations") == []
    # The policy was applied: an inline script is refused.
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.inlineRan = true"; document.head.append(s); }""")
    assert page.evaluate("window.inlineRan") is None
    assert [v[0] for v in page.evaluate("window.violations")] == ["script-src-elem"]
