// <lossref-plot>: a loss and its derivative, with a slider over one of the loss's parameters.
//
// lossref computes every curve when the site is built (docs/hooks/lossdocs.py, interactive_plot):
// the element holds them as JSON for each value of the parameter, and this script only draws the
// curves for the value the slider shows. No loss is computed here, and nothing else is loaded.
//
// The element arrives with its slider, its <output> and two static SVG panels (the start value,
// drawn by matplotlib: what a reader without JavaScript sees). On connection the panels are
// replaced by live ones of the same size; the range input moves with the pointer or the arrow keys,
// and every `input` event redraws the curves. Colours come from CSS custom properties
// (docs/stylesheets/lossref.css), so the curves follow the light and the dark colour schemes.
//
// The data (script.lossref-interactive__data): `values`, the parameter's values as shown, and
// `start`, the index the slider starts at; `x`, the grid as [first, last, count]; `ylim`, the
// fixed range of each panel; `series`, the curves that follow the slider, each with `loss[k]`
// and `grad[k]` for the k-th value; `refs`, fixed curves drawn dashed (`grad` null where the
// reference has no derivative); `xlabel`, `ylabel`, `symbol` and `legend` for the drawing.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 302.4; // the matplotlib panel, in points: the live panel takes the same box
const HEIGHT = 230.4;
const MARGIN = { left: 50, right: 10, top: 10, bottom: 40 };

function svgElement(name, attributes = {}, text = "") {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text) element.textContent = text;
  return element;
}

// About `count` round tick values in [lo, hi]: 1, 2 or 5 times a power of ten apart, whichever
// step is closest to an even split.
export function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power)
    .reduce((best, s) => (Math.abs(s - raw) < Math.abs(best - raw) ? s : best));
  const out = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i += 1) {
    out.push(i * step + 0); // + 0: 0, not -0
  }
  return { values: out, step };
}

// A tick label: as many decimals as the step needs, and a true minus sign.
function tickLabel(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals).replace("-", "\u2212");
}

// The label of a number in a description: 3 significant digits at most.
function shortNumber(value) {
  return Number(value.toPrecision(3)).toString().replace("-", "\u2212");
}

// Reference curves are dashed, then dotted, in the text's colour.
const refClass = (j) => `lossref-interactive__curve--ref lossref-interactive__curve--ref-${j % 2}`;

class Panel {
  // One panel (the loss or its derivative): axes, ticks and labels drawn once, the curves' paths
  // updated in place.
  constructor(data, index, id) {
    this.data = data;
    this.index = index; // 0: loss, 1: derivative
    const [x0, x1, n] = data.x;
    this.xs = Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1));
    [this.y0, this.y1] = data.ylim[index];
    this.svg = svgElement("svg", {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", class: "lossref-plot lossref-interactive__live",
    });
    this.drawAxes(id);
    const clip = `url(#${id}-clip)`;
    data.refs.forEach((ref, j) => { // under the live curves
      const values = index === 0 ? ref.loss : ref.grad;
      if (values === null) return;
      this.svg.appendChild(svgElement("path", {
        class: `lossref-interactive__curve ${refClass(j)}`, "clip-path": clip, d: this.path(values),
      }));
    });
    this.paths = data.series.map((_, i) => this.svg.appendChild(svgElement("path", {
      class: `lossref-interactive__curve lossref-interactive__curve--${i % 4}`, "clip-path": clip,
    })));
    if (index === 0) this.drawLegend();
  }

  px(x) {
    const [x0, x1] = this.data.x;
    return MARGIN.left + ((x - x0) / (x1 - x0)) * (WIDTH - MARGIN.left - MARGIN.right);
  }

  py(y) {
    return HEIGHT - MARGIN.bottom - ((y - this.y0) / (this.y1 - this.y0)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  }

  path(values) {
    return values.map((y, i) => `${i ? "L" : "M"}${this.px(this.xs[i]).toFixed(2)} ${this.py(y).toFixed(2)}`).join("");
  }

  drawAxes(id) {
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const defs = this.svg.appendChild(svgElement("defs"));
    const clip = defs.appendChild(svgElement("clipPath", { id: `${id}-clip` }));
    clip.appendChild(svgElement("rect", { x: left, y: top, width: right - left, height: bottom - top }));
    const axes = this.svg.appendChild(svgElement("g", { class: "lossref-interactive__axes" }));
    const [x0, x1] = this.data.x;
    const xt = ticks(x0, x1, 6);
    for (const t of xt.values) {
      const x = this.px(t);
      axes.appendChild(svgElement("line", { class: "lossref-interactive__grid", x1: x, x2: x, y1: top, y2: bottom }));
      axes.appendChild(svgElement("line", { x1: x, x2: x, y1: bottom, y2: bottom + 4 }));
      axes.appendChild(svgElement("text", { x, y: bottom + 15, "text-anchor": "middle" }, tickLabel(t, xt.step)));
    }
    const yt = ticks(this.y0, this.y1, 6);
    for (const t of yt.values) {
      const y = this.py(t);
      axes.appendChild(svgElement("line", { class: "lossref-interactive__grid", x1: left, x2: right, y1: y, y2: y }));
      axes.appendChild(svgElement("line", { x1: left - 4, x2: left, y1: y, y2: y }));
      axes.appendChild(svgElement("text", { x: left - 6, y: y + 3.5, "text-anchor": "end" }, tickLabel(t, yt.step)));
    }
    axes.appendChild(svgElement("path", { class: "lossref-interactive__frame", d: `M${left} ${top}V${bottom}H${right}` }));
    axes.appendChild(svgElement("text", { x: (left + right) / 2, y: HEIGHT - 6, "text-anchor": "middle" },
      this.data.xlabel));
    const ylabelY = (top + bottom) / 2;
    axes.appendChild(svgElement("text", {
      x: 12, y: ylabelY, "text-anchor": "middle", transform: `rotate(-90 12 ${ylabelY})`,
    }, this.data.ylabel[this.index]));
  }

  drawLegend() {
    const items = [
      ...this.data.series.map((s, i) => [s.label, `lossref-interactive__curve--${i % 4}`]),
      ...this.data.refs.map((r, j) => [r.label, refClass(j)]),
    ];
    const width = 34 + 6.2 * Math.max(...items.map(([label]) => label.length));
    const plotLeft = MARGIN.left;
    const plotRight = WIDTH - MARGIN.right;
    const x = this.data.legend === "upper right" ? plotRight - width
      : this.data.legend === "upper left" ? plotLeft + 6 : (plotLeft + plotRight - width) / 2;
    const legend = this.svg.appendChild(svgElement("g", { class: "lossref-interactive__legend" }));
    legend.appendChild(svgElement("rect", {
      class: "lossref-interactive__legend-box", x, y: MARGIN.top + 2, width, height: 13 * items.length + 3, rx: 2,
    }));
    items.forEach(([label, modifier], i) => {
      const y = MARGIN.top + 10 + 13 * i;
      legend.appendChild(svgElement("path", {
        class: `lossref-interactive__curve ${modifier}`, d: `M${x + 4} ${y}h22`,
      }));
      legend.appendChild(svgElement("text", { x: x + 30, y: y + 3.5 }, label));
    });
  }

  show(valueIndex, valueText) {
    this.data.series.forEach((series, i) => {
      const values = (this.index === 0 ? series.loss : series.grad)[valueIndex];
      this.paths[i].setAttribute("d", this.path(values));
    });
    this.svg.setAttribute("aria-label", this.describe(valueIndex, valueText));
  }

  // What the panel shows, in words: the curves and the range of each for the current value.
  describe(valueIndex, valueText) {
    const what = this.index === 0 ? "Loss" : `Derivative ${this.data.ylabel[1]}`;
    const curves = this.data.series.map((series) => {
      const values = (this.index === 0 ? series.loss : series.grad)[valueIndex];
      return `${series.label} from ${shortNumber(Math.min(...values))} to ${shortNumber(Math.max(...values))}`;
    });
    const refs = this.data.refs.filter((r) => (this.index === 0 ? r.loss : r.grad) !== null).map((r) => r.label);
    const [x0, x1] = this.data.x;
    return `${what} against the ${this.data.xlabel} from ${shortNumber(x0)} to ${shortNumber(x1)}, ${valueText}: `
      + curves.join("; ") + (refs.length ? `. Dashed for reference: ${refs.join(", ")}.` : ".");
  }
}

export class LossrefPlot extends HTMLElement {
  connectedCallback() {
    if (this.panels) return; // moved within the page: already drawn
    const script = this.querySelector("script.lossref-interactive__data");
    this.input = this.querySelector("input[type=range]");
    this.output = this.querySelector("output");
    if (!script || !this.input || !this.output) return;
    this.data = JSON.parse(script.textContent);
    const boxes = [...this.querySelectorAll(".lossref-interactive__panel")];
    this.panels = boxes.map((box, index) => {
      const panel = new Panel(this.data, index, `${this.id || "lossref-plot"}-${index ? "grad" : "loss"}-live`);
      box.replaceChildren(panel.svg);
      return panel;
    });
    this.onInput = () => this.show();
    this.input.addEventListener("input", this.onInput);
    this.show();
  }

  disconnectedCallback() {
    if (this.input && this.onInput) this.input.removeEventListener("input", this.onInput);
    this.panels = null;
    this.onInput = null;
  }

  show() {
    const count = this.data.values.length;
    const index = Math.min(count - 1, Math.max(0, Math.round(Number(this.input.value))));
    const text = `${this.data.symbol} = ${this.data.values[index]}`;
    this.input.setAttribute("aria-valuetext", text);
    this.output.textContent = text;
    for (const panel of this.panels) panel.show(index, text);
  }
}

if (!customElements.get("lossref-plot")) customElements.define("lossref-plot", LossrefPlot);
