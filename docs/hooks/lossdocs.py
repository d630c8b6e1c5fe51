"""Page helpers: what the site generates from the registry and the reference fixture.

Executed blocks on the pages call these and print the result (Markdown, or HTML for plots), so
the formulas, properties, comparison tables, framework tabs and plots are never typed twice::

    ```python exec="on"
    import lossdocs
    print(lossdocs.properties("mse"))
    ```

Nothing here is an example for readers: the examples readers see live in ``snippets/``.
"""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from pathlib import Path

import lossref as lr
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "reference.json"

__all__ = [
    "formula", "second_derivative", "properties", "parameters", "pitfalls", "equivalents", "references",
    "comparison", "ce_vs_hinge", "residual_plot", "margin_plot", "curve_plot", "loss_link", "interactive_plot",
    "reliability_plot", "snippet_globals", "ctc_lattice",
]

# Where each loss is documented (relative to docs/losses/): the page, and the section on pages shared by
# close relatives. Each loss's catalogue entry says it.
PAGES = {loss.name: loss.info.page for loss in lr.losses()}


#: Where ``api.md`` gets its sections on the built-in losses.
API_MARKER = "<!-- lossref: one section per built-in loss, generated from the registry -->"


def api_sections() -> str:
    """The API page's sections on the losses, family by family in registry order: each loss's class
    docstring through mkdocstrings (the class is found in the loss's own module)."""
    out = []
    for family, label in lr.FAMILIES.items():
        family_losses = lr.losses(family) if family != "custom" else []
        if not family_losses:
            continue
        out.append(f"## {label} losses\n")
        for loss in family_losses:
            cls = type(loss)
            out.append(f"### lossref.{loss.name}\n\n::: {cls.__module__}.{cls.__qualname__}\n"
                       "    options:\n      show_root_heading: false\n      members: false\n"
                       "      show_bases: false\n      show_root_toc_entry: false\n")
    return "\n".join(out)


def loss_link(name: str, base: str = "") -> str:
    """A Markdown link to a loss's page; ``base`` is the relative path from the calling page to ``losses/``."""
    return f"[`{name}`]({base}{PAGES[name]})"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _md_escape(text: str) -> str:
    """Keep a registry sentence literal inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


# ----------------------------------------------------------------------------------- registry blocks
def formula(name: str) -> str:
    """The loss and its derivative in the prediction, as display math."""
    info = lr.get(name).info
    out = f"$$\n{info.formula}\n$$\n"
    if info.has_gradient:
        out += f"\n$$\n{info.gradient}\n$$\n"
    return out


def second_derivative(name: str) -> str:
    """The loss's second derivative in the prediction (per-row losses: the entries of a row's block), as display math."""
    return f"$$\n{lr.get(name).info.second_derivative}\n$$\n"


def properties(name: str) -> str:
    """The properties table of one loss."""
    info = lr.get(name).info
    prediction = lr.PREDICTION_KINDS[info.prediction]
    if info.family == "ranking":  # the order of the scores is the decision
        prediction = ("a list of item scores per row (scores), items on the last axis; sorting them gives the ranking"
                      if info.per_row else "two real-valued scores per pair (x1, x2); the larger ranks first")
    elif info.per_row:  # one row of C values per example, and the largest wins
        prediction = {"logit": "a row of C logits per example (logits), softmax gives the class probabilities",
                      "score": "a row of C real-valued scores per example (scores); the argmax is the decision",
                      "log_probability": "a row of C log-probabilities per example (log_probs), e.g. log_softmax "
                                         "outputs",
                      "embedding": "a vector per example, the last axis (y_pred), compared with the target's",
                      }.get(info.prediction, prediction)
    rows = [
        ("Prediction", prediction),
        ("Target", info.target),
        ("Minimiser", info.minimizer),
    ]
    rows += [(label, "no gradient" if label == "Bounded gradient" and not info.has_gradient else _yes_no(value))
             for label, value in info.properties.items()]
    rows.append(("When to use", info.when_to_use))
    lines = ["| Property | |", "|---|---|"]
    lines += [f"| {label} | {_md_escape(str(value))} |" for label, value in rows]
    return "\n".join(lines) + "\n"


def parameters(name: str) -> str:
    """The signature and the keyword parameters of one loss."""
    loss = lr.get(name)
    info = loss.info
    extra = "".join(f", {p.name}" if p.required else f", {p.name}={p.default!r}" for p in info.params)
    grad = f"lr.{name}.grad(...)  # same arguments\n" if info.has_gradient else ""
    arrays = ", ".join(f"{a}=None" if a.optional else a.name for a in loss.inputs) if info.inputs else f"{loss.target_name}, {loss.pred_name}"
    out = f"```python\nlr.{name}({arrays}, *, reduction=\"mean\", sample_weight=None{extra})\n{grad}```\n\n"
    if info.params:
        out += "| Parameter | Default | Meaning |\n|---|---|---|\n"
        out += "".join(f"| `{p.name}` | {'required' if p.required else f'`{p.default!r}`'} | {_md_escape(p.doc)} |\n"
                       for p in info.params)
    return out


def pitfalls(name: str) -> str:
    """The registry's notes on a loss, each as a warning admonition."""
    info = lr.get(name).info
    return "".join(f'!!! warning ""\n    {note}\n\n' for note in info.notes)


def references(name: str) -> str:
    info = lr.get(name).info
    items = []
    for ref in info.references:
        items.append(f"- <{ref}>" if ref.startswith("http") else f"- {ref}")
    return "\n".join(items) + "\n"


# ----------------------------------------------------------------------------------- framework tabs
_FRAMEWORK_PREFIXES = {
    "PyTorch": ("torch",),
    "Keras 3": ("keras",),
    "optax": ("optax",),
    "scikit-learn": ("sklearn",),
}


@lru_cache(maxsize=1)
def _reference_cases() -> tuple[dict, ...]:
    return tuple(json.loads(REFERENCE.read_text())["cases"])


def _case_framework(case: dict) -> str | None:
    """The framework whose own number a fixture case records, if any.

    A framework block's call is the first framework module it names (an optax call may sit inside
    ``jnp`` operations: ``jnp.sum(w * optax.losses.squared_error(...)) / jnp.sum(w)``); without a
    block, the framework the case's source starts with.
    """
    block = case.get("framework")
    if block:
        modules = "|".join(prefix for prefixes in _FRAMEWORK_PREFIXES.values() for prefix in prefixes)
        found = re.search(rf"\b((?:{modules})\w*)\.", block["call"])  # torchvision counts as PyTorch
        text = found.group(1) if found else ""
    else:
        text = case["source"]
    for framework, prefixes in _FRAMEWORK_PREFIXES.items():
        if text.startswith(prefixes):
            return framework
    return None


def _lossref_value(case: dict) -> float:
    """lossref's number for a fixture case, in either schema: ``y``/``pred`` passed positionally, or
    ``arrays`` (a loss of more than a target and a prediction) passed by argument name."""
    loss = lr.get(case["loss"])
    sw = None if case["sample_weight"] is None else np.asarray(case["sample_weight"], dtype=np.float64)
    params = {k: (np.asarray(v) if isinstance(v, list) else v) for k, v in case["params"].items()}
    if "arrays" in case:
        arrays = {k: np.asarray(v) for k, v in case["arrays"].items()}
        arrays = {k: (v.astype(np.float64) if v.dtype.kind == "f" else v) for k, v in arrays.items()}
        return loss(reduction=case["reduction"], sample_weight=sw, **arrays, **params)
    y = np.asarray(case["y"]) if not isinstance(case["y"], (int, float)) else case["y"]
    pred = np.asarray(case["pred"], dtype=np.float64)
    return loss(y, pred, reduction=case["reduction"], sample_weight=sw, **params)


def _fmt(value) -> str:
    if isinstance(value, (list, np.ndarray)):
        return "[" + ", ".join(_fmt(v) for v in np.ravel(value)) + "]"
    return f"{float(value):.10g}"


def _case_setup(case: dict) -> str:
    parts = [f"`{k}={v!r}`" for k, v in case["params"].items()]
    parts.append(f"`reduction={case['reduction']!r}`")
    if case["sample_weight"] is not None:
        parts.append("`sample_weight`")
    return ", ".join(parts)


def _fixture_rows(name: str, framework: str) -> list[str]:
    rows = []
    for case in _reference_cases():
        if case["loss"] != name or case["reduction"] == "none" or _case_framework(case) != framework:
            continue
        ours = _lossref_value(case)
        block = case.get("framework")
        theirs = block["value"] if block else case["expected"]
        if not np.isclose(ours, case["expected"], rtol=1e-10, atol=0):  # the page must never drift from the tests
            raise AssertionError(f"{case['id']}: lossref gives {ours!r}, the fixture {case['expected']!r}")
        if block and "scale" in block:  # a constant factor between the two conventions
            call = f"`{block['call']}`, times {block['scale']:g} gives lossref's"
        elif block:
            call = f"`{block['call']}`"
        elif "converted" in case["source"]:  # the framework number went through a stated conversion
            call = _md_escape(case.get("note", "the framework's per-example values, reduced with lossref's weighting"))
        elif case["source"] in ("torch", "sklearn") or case["source"].startswith("sklearn (value)"):
            call = "the call above"
        else:  # e.g. "torch (formula)": the formula written with the framework's operations
            call = _md_escape(case["source"])
        rows.append(f"| {case['id']} | {_case_setup(case)} | {_fmt(ours)} | {_fmt(theirs)} | {call} |")
    return rows


def _fixture_differences(name: str, framework: str) -> list[str]:
    """Why the numbers of a framework's fixture cases differ from lossref's, as the fixture records it."""
    notes = []
    for case in _reference_cases():
        block = case.get("framework")
        if (case["loss"] == name and case["reduction"] != "none" and block
                and block.get("difference", "same") != "same" and _case_framework(case) == framework):
            notes.append(f"- **{case['id']}**: {_md_escape(block['difference'])}")
    return notes


def equivalents(name: str) -> str:
    """Content tabs with the matching call in each framework, the differences, and fixture numbers."""
    info = lr.get(name).info
    out = []
    for eq in info.equivalents:
        out.append(f'=== "{eq.framework}"\n')
        body = [f"```python\n{eq.call}\n```\n"]
        verdict = ("Gives lossref's number with the default parameters." if eq.same
                   else "**Conventions differ**: the numbers are not the same.")
        body.append(f"{verdict} {eq.difference}\n" if eq.difference else f"{verdict}\n")
        rows = _fixture_rows(name, eq.framework)
        if rows:
            body.append(
                f"From the reference fixture (`tests/data/reference.json`), float64; lossref's value is computed "
                f"as this page is built:\n\n"
                f"| Case | Setting | lossref | {eq.framework} | {eq.framework} call |\n|---|---|---|---|---|\n"
                + "\n".join(rows) + "\n")
            differences = _fixture_differences(name, eq.framework)
            if differences:
                body.append("Where the numbers differ:\n\n" + "\n".join(differences) + "\n")
        elif eq.framework == "optax" and "optax." not in eq.call:
            body.append("optax ships no such loss, so the reference fixture has no optax numbers for it; the call "
                        "above writes lossref's formula with jax.numpy.\n")
        out.append("\n".join("    " + line if line else "" for line in "\n".join(body).splitlines()) + "\n")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- comparison tables
def comparison(family: str, base: str = "../losses/") -> str:
    """One row per loss of a family, its properties as columns (the minimisers are in ``overview``)."""
    losses = lr.losses(family)
    labels = [label for label, _ in losses[0].info.properties.items()]
    lines = ["| Loss | Prediction | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(labels)]
    for loss in losses:
        info = loss.info
        predictions = [i.name for i in loss.inputs if i.kind == "prediction"] if info.inputs else [loss.pred_name]
        cells = [loss_link(loss.name, base), ", ".join(f"`{p}`" for p in predictions)]
        cells += [_yes_no(v) for _, v in info.properties.items()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def ce_vs_hinge(base: str = "../losses/") -> str:
    """Cross-entropy and hinge side by side, from the registry."""
    pairs = [("cross_entropy", "multiclass_hinge"), ("bce_with_logits", "hinge")]
    out = []
    for a, b in pairs:
        ia, ib = lr.get(a).info, lr.get(b).info
        rows = [
            ("Prediction", ia.prediction, ib.prediction),
            ("Target", ia.target, ib.target),
            ("Minimiser", ia.minimizer, ib.minimizer),
            *[(label, _yes_no(va), _yes_no(vb))
              for (label, va), (_, vb) in zip(ia.properties.items(), ib.properties.items())],
            ("When to use", ia.when_to_use, ib.when_to_use),
        ]
        out.append(f"| | {loss_link(a, base)} | {loss_link(b, base)} |\n|---|---|---|\n"
                   + "".join(f"| {r} | {_md_escape(x)} | {_md_escape(y)} |\n" for r, x, y in rows))
    return "\n".join(out)


# ----------------------------------------------------------------------------------- plots
# Colours readable on the light and the dark palette; text, axes and grid take the page's colour
# (the sentinel colours below become currentColor in the SVG).
_INK, _GRID = "#010101", "#020202"
_COLORS = ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd", "#d62728", "#8c564b"]
_RC = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, and in the page's font
    "svg.hashsalt": "lossref",  # fixed clip-path ids: identical SVG on every build
    "font.size": 11,
    "figure.facecolor": "none", "axes.facecolor": "none", "savefig.facecolor": "none",
    "text.color": _INK, "axes.labelcolor": _INK, "axes.edgecolor": _INK,
    "xtick.color": _INK, "ytick.color": _INK, "grid.color": _GRID, "grid.alpha": 0.25,
    "axes.grid": True, "axes.spines.top": False, "axes.spines.right": False,
    "legend.frameon": False, "lines.linewidth": 2.0, "axes.prop_cycle": None,
}


def _figure(ncols: int = 2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    rc = dict(_RC, **{"axes.prop_cycle": cycler(color=_COLORS)})
    with matplotlib.rc_context(rc):
        fig, axes = plt.subplots(1, ncols, figsize=(4.2 * ncols, 3.2), layout="constrained")
    return fig, np.atleast_1d(axes), rc


def _svg(fig, rc, slug: str, description: str) -> str:
    import matplotlib
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inline
    svg = svg.replace(_INK, "currentColor").replace(_GRID, "currentColor")
    svg = re.sub(r"font-family: ?[^;\"']*;?", "font-family: inherit;", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Ids must be unique on a page that shows several plots.
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{slug}-{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{slug}-{m[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{slug}-{m[1]}"', svg)
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)[1]
    svg = re.sub(r'(<svg[^>]*?)\swidth="[\d.]+pt" height="[\d.]+pt"',
                 rf'\1 role="img" aria-labelledby="{slug}-title" class="lossref-plot" style="max-width:{width}pt"',
                 svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{slug}-title">{_xml_escape(description)}</title>', svg, count=1)
    return f'<figure class="lossref-figure">\n{svg}\n<figcaption>{_xml_escape(description)}</figcaption>\n</figure>\n'


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _label(name: str, params: dict) -> str:
    return name + (" (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")


def curve_plot(x, loss_curves: dict, grad_curves: dict, *, xlabel: str, slug: str, description: str,
               loss_ylabel: str = "loss", grad_ylabel: str = "gradient", dashed: dict | None = None) -> str:
    """Two panels: loss curves and gradient curves against ``x``; ``dashed`` adds dashed loss curves."""
    fig, (ax_loss, ax_grad), rc = _figure(2)
    import matplotlib

    with matplotlib.rc_context(rc):
        for label, values in loss_curves.items():
            ax_loss.plot(x, values, label=label)
        for label, values in (dashed or {}).items():
            ax_loss.plot(x, values, "--", color=_INK, linewidth=1.2, label=label)
        for i, (label, values) in enumerate(grad_curves.items()):
            ax_grad.plot(x, values, label=label, color=_COLORS[i % len(_COLORS)])
        ax_loss.set(xlabel=xlabel, ylabel=loss_ylabel)
        ax_grad.set(xlabel=xlabel, ylabel=grad_ylabel)
        ax_loss.legend(fontsize=9)
    return _svg(fig, rc, slug, description)


def residual_plot(*curves, slug: str, description: str, xlim: float = 3.0, ylim: float | None = None) -> str:
    """Regression losses and their derivatives against the residual r = y_pred - y.

    Each curve is ``(name, params)`` or just ``name``.
    """
    r = np.linspace(-xlim, xlim, 241)
    y = np.zeros_like(r)
    losses, grads = {}, {}
    for curve in curves:
        name, params = (curve, {}) if isinstance(curve, str) else curve
        loss = lr.get(name)
        label = _label(name, params)
        losses[label] = loss(y, r, reduction="none", **params)
        grads[label] = loss.grad(y, r, reduction="none", **params)
    svg = curve_plot(r, losses, grads, xlabel="residual r = ŷ − y", slug=slug, description=description,
                     grad_ylabel="∂L/∂ŷ")
    return svg


def _margin_values(name: str, m: np.ndarray, params: dict):
    """Loss and derivative in the margin m for a positive example (label +1 or 1, or class 0 of two)."""
    loss = lr.get(name)
    if loss.info.per_row:  # two classes: logits or scores (m, 0) with class 0 true
        pred = np.stack([m, np.zeros_like(m)], axis=1)
        y = np.zeros(len(m), dtype=np.int64) if name != "kl_divergence" else np.tile([1.0, 0.0], (len(m), 1))
        value = loss(y, pred, reduction="none", **params)
        grad = loss.grad(y, pred, reduction="none", **params)[:, 0] if loss.info.has_gradient else None
        return value, grad
    if loss.info.prediction == "probability":  # p = sigmoid(m); chain rule to the margin
        p = 1.0 / (1.0 + np.exp(-m))
        y = np.ones_like(m)
        value = loss(y, p, reduction="none", **params)
        grad = loss.grad(y, p, reduction="none", **params) * p * (1 - p)
        return value, grad
    y = np.ones_like(m)
    value = loss(y, m, reduction="none", **params)
    grad = loss.grad(y, m, reduction="none", **params) if loss.info.has_gradient else None
    return value, grad


def margin_plot(*curves, slug: str, description: str, xlim: float = 3.0, zero_one: bool = True) -> str:
    """Classification and margin losses and their derivatives against the margin m.

    For binary losses m = y·s (s the score or logit); for per-row losses, two classes with scores
    (m, 0) and class 0 true, so m is the true class's lead over the other.

    Each curve is ``(name, params)`` or just ``name``; the 0-1 loss is drawn dashed for reference.
    """
    m = np.linspace(-xlim, xlim, 241)
    losses, grads = {}, {}
    for curve in curves:
        name, params = (curve, {}) if isinstance(curve, str) else curve
        label = _label(name, params)
        value, grad = _margin_values(name, m, params)
        losses[label] = value
        if grad is not None:
            grads[label] = grad
    dashed = {"0-1 loss": lr.zero_one(np.ones_like(m), m, reduction="none")} if zero_one else None
    # Binary: y = +1 and m = s. Two classes (per-row losses): scores (m, 0) with class 0 true. Either
    # way the derivative in the margin is the derivative in the true class's score.
    return curve_plot(m, losses, grads, xlabel="margin m", slug=slug, description=description,
                      grad_ylabel="∂L/∂m", dashed=dashed)


def snippet_globals(path: str) -> dict:
    """Run ``snippets/<path>`` with its output discarded and return its variables, so that a plot
    draws the very numbers the snippet shown on the page computes."""
    import contextlib
    import runpy

    with contextlib.redirect_stdout(io.StringIO()), np.printoptions():
        return runpy.run_path(str(ROOT / "snippets" / path), run_name="__main__")


def reliability_plot(curves: dict, *, slug: str, description: str, n_bins: int = 10) -> str:
    """A reliability diagram: for each ``label: (y, probs)``, the observed frequency of y = 1 against
    the mean predicted probability in equal-width bins of the prediction (left), with the diagonal
    of perfect calibration dashed, and how many predictions fall in each bin (right)."""
    fig, (ax_rel, ax_count), rc = _figure(2)
    import matplotlib

    edges = np.linspace(0.0, 1.0, n_bins + 1)
    with matplotlib.rc_context(rc):
        ax_rel.plot([0, 1], [0, 1], "--", color=_INK, linewidth=1.2, label="perfect calibration")
        for i, (label, (y, probs)) in enumerate(curves.items()):
            y, probs = np.asarray(y, dtype=np.float64), np.asarray(probs, dtype=np.float64)
            k = np.minimum((probs * n_bins).astype(int), n_bins - 1)  # bins [0, 1/B), ..., [1 - 1/B, 1]
            count = np.bincount(k, minlength=n_bins)
            full = count > 0
            predicted = np.bincount(k, probs, n_bins)[full] / count[full]
            observed = np.bincount(k, y, n_bins)[full] / count[full]
            color = _COLORS[i % len(_COLORS)]
            ax_rel.plot(predicted, observed, "o-", color=color, markersize=4, label=label)
            ax_count.stairs(count, edges, color=color, linewidth=1.6, label=label)
        ax_rel.set(xlabel="mean predicted probability", ylabel="observed frequency of y = 1", xlim=(0, 1), ylim=(0, 1))
        ax_count.set(xlabel="predicted probability", ylabel="predictions per bin", xlim=(0, 1))
        ax_rel.legend(fontsize=9)
    return _svg(fig, rc, slug, description)


def ctc_lattice(targets, logits, symbols: str, *, slug: str, description: str, blank: int = 0) -> str:
    """The CTC forward lattice of the first sequence: time across, the extended target (blanks around and
    between the labels) down. Each node is alpha_t(s) from ``lr.ctc.forward_variables``, printed beside it
    and drawn with an area that grows with it; lines are the transitions the recursion sums over; the two
    nodes whose sum is p(target) are ringed."""
    import matplotlib
    import matplotlib.pyplot as plt
    from cycler import cycler

    alpha = np.exp(lr.ctc.forward_variables(targets, logits, blank=blank)[0])
    ext = [blank]
    for label in np.asarray(targets)[0]:
        ext += [int(label), blank]
    n_steps, width = alpha.shape
    rc = dict(_RC, **{"axes.prop_cycle": cycler(color=_COLORS), "axes.grid": False})
    with matplotlib.rc_context(rc):
        fig, ax = plt.subplots(figsize=(1.5 * n_steps + 1.0, 0.7 * width + 1.0), layout="constrained")
        for t in range(1, n_steps):
            for s in range(width):
                skip = s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]
                for r in (s, s - 1, s - 2) if skip else (s, s - 1):
                    if r >= 0 and alpha[t - 1, r] > 0 and alpha[t, s] > 0:
                        ax.plot([t - 1, t], [r, s], color=_GRID, alpha=0.35, linewidth=1.2, zorder=1)
        tt, ss = np.meshgrid(np.arange(n_steps), np.arange(width), indexing="ij")
        reached = alpha > 0
        ax.scatter(tt[reached], ss[reached], s=60 + 900 * alpha[reached], color=_COLORS[0], zorder=2)
        ax.scatter(tt[~reached], ss[~reached], s=30, facecolors="none", edgecolors=_INK, linewidths=0.8, zorder=2)
        ends = [width - 1] + ([width - 2] if width > 1 else [])
        ax.scatter([n_steps - 1] * len(ends), ends, s=800, facecolors="none", edgecolors=_COLORS[1],
                   linewidths=2.0, zorder=3)
        for t in range(n_steps):
            for s in range(width):
                ax.annotate(f"{alpha[t, s]:.4g}", (t, s), xytext=(0, -16), textcoords="offset points",
                            ha="center", va="top", fontsize=9, color=_INK)
        ax.set_xticks(range(n_steps), [f"t = {t}" for t in range(n_steps)])
        ax.set_yticks(range(width), [f"{s}: {symbols[k]}" for s, k in enumerate(ext)])
        ax.set(xlabel="time step", ylabel="extended target position", xlim=(-0.5, n_steps - 0.5),
               ylim=(width - 0.4, -0.6))
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
    return _svg(fig, rc, slug, description)


def overview(family: str, base: str = "") -> str:
    """The losses of a family: link, what it is called elsewhere, prediction and minimiser."""
    lines = ["| Loss | Name | Prediction | Minimiser |", "|---|---|---|---|"]
    for loss in lr.losses(family):
        info = loss.info
        lines.append(f"| {loss_link(loss.name, base)} | {info.title} | `{loss.pred_name}` ({info.prediction}) "
                     f"| {_md_escape(info.minimizer)} |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------- interactive plots
# A plot with a slider: lossref evaluates the loss and its derivative at build time for every value
# of one parameter, the page carries the numbers as JSON, and docs/javascripts/interactive-plot.js
# draws the curves for the value the slider shows. The browser computes no loss.
_PANEL_SIZE = (4.2, 3.2)  # inches per panel: the live drawing uses the same aspect, so nothing moves
_SLIDER_POINTS = 121


def _round_to(values, quantum: float) -> list:
    """Values as multiples of ``quantum`` (a power of ten), in their shortest JSON form."""
    decimals = max(0, -int(np.floor(np.log10(quantum) + 1e-9)))
    out = []
    for v in np.round(np.asarray(values, dtype=np.float64), decimals):
        v = float(v) + 0.0  # no "-0.0"
        out.append(int(v) if v.is_integer() else v)
    return out


def _quantum(lo: float, hi: float) -> float:
    """The rounding step for a panel whose axis spans [lo, hi]: four significant digits of the span."""
    span = max(hi - lo, 1e-12)
    return 10.0 ** (np.floor(np.log10(span)) - 3)


def _axis_limits(arrays) -> tuple[float, float]:
    """The range of every curve the slider can show, with 5% room above and below."""
    lo = min(float(np.min(a)) for a in arrays)
    hi = max(float(np.max(a)) for a in arrays)
    pad = 0.05 * max(hi - lo, 1e-9)
    return lo - pad, hi + pad


def _slider_curves(name: str, x: np.ndarray, axis: str, params: dict, targets) -> list:
    """``(label, loss, derivative)`` for each curve of one parameter value, computed by lossref.

    ``axis`` is what ``x`` is: ``"residual"`` (r = y_pred - y with y = 0), ``"margin"`` (as in
    ``margin_plot``: y·s for a binary loss, the true class's lead over one rival for a per-row loss)
    or ``"logit"`` (one curve per target in ``targets``, the logit on the axis).
    """
    loss = lr.get(name)
    if axis == "residual":
        y = np.zeros_like(x)
        grad = loss.grad(y, x, reduction="none", **params) if loss.info.has_gradient else None
        return [(name, loss(y, x, reduction="none", **params), grad)]
    if axis == "margin":
        if name == "zero_one":  # the metric: binary, no gradient
            return [("0-1 loss", lr.zero_one(np.ones_like(x), x, reduction="none"), None)]
        value, grad = _margin_values(name, x, params)
        return [(name, value, grad)]
    if axis == "logit":
        curves = []
        for t in targets:
            y = np.full_like(x, float(t))
            curves.append((f"y = {t:g}", loss(y, x, reduction="none", **params),
                           loss.grad(y, x, reduction="none", **params)))
        return curves
    raise ValueError(f"axis must be 'residual', 'margin' or 'logit'; got {axis!r}")


def interactive_plot(name: str, param: str, values, *, label: str, symbol: str, slug: str,
                     description: str, start: float | None = None, axis: str = "residual",
                     fixed: dict | None = None, targets=(1, 0), references=(), xlim: float = 3.0,
                     legend: str = "upper center") -> str:
    """A loss and its derivative with a slider over one parameter (``<lossref-plot>``).

    For each value of ``param`` in ``values`` (rounded to 3 significant digits, so that the value
    shown is the value computed), ``lr.<name>(..., reduction="none")`` and ``lr.<name>.grad`` are
    evaluated on a grid of ``x`` in [-xlim, xlim] (see ``_slider_curves`` for ``axis``), with the
    other parameters in ``fixed``. ``references`` are ``(label, name, params)`` curves that do not
    depend on the slider, drawn dashed. The page gets:

    * a labelled ``<input type="range">`` (``label`` names the parameter, ``symbol`` is its math
      symbol) and an ``<output>`` with the current value;
    * the two panels at ``start`` (the loss's default when ``None``) as static SVG from matplotlib,
      which is what a reader without JavaScript sees;
    * the curves for every value as JSON, rounded to 4 significant digits of each panel's span,
      from which ``interactive-plot.js`` redraws the panels when the slider moves.
    """
    fixed = dict(fixed or {})
    loss = lr.get(name)
    known = {p.name: p for p in loss.info.params}
    if param not in known:
        raise ValueError(f"param must be a parameter of {name} ({', '.join(known) or 'none'}); got {param!r}")
    values = [float(f"{float(v):.3g}") for v in values]
    if start is None:
        start = known[param].default if known[param].default is not None else 1.0  # pos_weight=None: 1
    start = float(f"{float(start):.3g}")
    if start not in values:
        raise ValueError(f"start must be one of the values; got {start!r}, values {values}")
    x = np.linspace(-xlim, xlim, _SLIDER_POINTS)
    curves = [_slider_curves(name, x, axis, {**fixed, param: v}, targets) for v in values]
    refs = []
    for ref_label, ref_name, ref_params in references:
        _, ref_loss, ref_grad = _slider_curves(ref_name, x, axis, ref_params, targets)[0]
        refs.append((ref_label, ref_loss, ref_grad))
    loss_lim = _axis_limits([c[1] for cs in curves for c in cs] + [r[1] for r in refs])
    grad_lim = _axis_limits([c[2] for cs in curves for c in cs] + [r[2] for r in refs if r[2] is not None])
    q_loss, q_grad = _quantum(*loss_lim), _quantum(*grad_lim)
    xlabel = {"residual": "residual r = ŷ − y", "margin": "margin m", "logit": "logit z"}[axis]
    grad_label = {"residual": "∂L/∂ŷ", "margin": "∂L/∂m", "logit": "∂L/∂z"}[axis]
    labels = [f"{v:g}" for v in values]
    data = {
        "name": name, "param": param, "symbol": symbol, "values": labels, "start": values.index(start),
        "x": [-xlim, xlim, _SLIDER_POINTS], "xlabel": xlabel, "ylabel": ["loss", grad_label],
        "ylim": [_round_to(loss_lim, q_loss), _round_to(grad_lim, q_grad)], "legend": legend,
        "series": [{"label": curves[0][i][0],
                    "loss": [_round_to(cs[i][1], q_loss) for cs in curves],
                    "grad": [_round_to(cs[i][2], q_grad) for cs in curves]} for i in range(len(curves[0]))],
        "refs": [{"label": r[0], "loss": _round_to(r[1], q_loss),
                  "grad": None if r[2] is None else _round_to(r[2], q_grad)} for r in refs],
    }
    value_text = f"{symbol} = {labels[data['start']]}"
    static = _slider_panels(x, curves[data["start"]], refs, data, slug, description, value_text)
    # "<" escaped, so that no label can close the <script> early
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    widest = len(symbol) + 3 + max(len(v) for v in labels)
    return (f'<div class="lossref-interactive-host"><lossref-plot class="lossref-interactive" id="{slug}">\n'
            f'<div class="lossref-interactive__controls">'
            f'<label for="{slug}-slider">{_xml_escape(label)}</label>'
            f'<input type="range" id="{slug}-slider" min="0" max="{len(values) - 1}" step="1" '
            f'value="{data["start"]}" aria-valuetext="{_xml_escape(value_text)}">'
            f'<output for="{slug}-slider" id="{slug}-value" style="min-width:{widest + 1}ch">'  # the slider stays put
            f'{_xml_escape(value_text)}</output></div>\n'
            f'{static}'
            f'<script type="application/json" class="lossref-interactive__data">{text}</script>\n'
            f'</lossref-plot></div>\n')


def _slider_panels(x, curves, refs, data: dict, slug: str, description: str, value_text: str) -> str:
    """The loss and the derivative panels at the start value: two matplotlib SVGs, one per panel,
    so that on a narrow screen they stack as the live drawing's do."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    rc = dict(_RC, **{"axes.prop_cycle": cycler(color=_COLORS)})
    panels = []
    for k, (key, ylabel) in enumerate(zip(("loss", "grad"), data["ylabel"])):
        with matplotlib.rc_context(rc):
            fig, ax = plt.subplots(figsize=_PANEL_SIZE, layout="constrained")
            for i, curve in enumerate(curves):
                ax.plot(x, curve[1 + k], color=_COLORS[i % len(_COLORS)], label=curve[0], zorder=3)
            for j, ref in enumerate(refs):  # dashed, then dotted, under the curves
                if ref[1 + k] is not None:
                    ax.plot(x, ref[1 + k], ("--", ":")[j % 2], color=_INK, linewidth=1.2, label=ref[0], zorder=2)
            ax.set(xlabel=data["xlabel"], ylabel=ylabel, xlim=(x[0], x[-1]), ylim=tuple(data["ylim"][k]))
            if key == "loss":
                ax.legend(fontsize=9, loc=data["legend"])
        what = "Loss" if key == "loss" else "Derivative"
        figure = _svg(fig, rc, f"{slug}-{key}", f"{what} against the {data['xlabel']}, {value_text}")
        svg = figure[figure.index("<svg"):figure.rindex("</svg>") + len("</svg>")]
        svg = re.sub(r' style="max-width:[\d.]+pt"', "", svg, count=1)
        panels.append(f'<div class="lossref-interactive__panel">{svg}</div>')
    return (f'<figure class="lossref-figure lossref-interactive__figure">\n'
            f'<div class="lossref-interactive__panels">{"".join(panels)}</div>\n'
            f"<figcaption>{_xml_escape(description)}</figcaption>\n</figure>\n")
