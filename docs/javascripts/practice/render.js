// Markdown with TeX math to HTML: the exercise texts (statements, hints, solutions, feedback).
//
// The same module renders them at build time in Node (the problem a page shows before Python has
// started) and in the browser's worker (every problem after that), so both look the same.
// markdown-it escapes any HTML in the text, so a learner's answer quoted back in a message can
// never become markup.
import katex from "katex";
import MarkdownIt from "markdown-it";
import texmath from "markdown-it-texmath";

const KATEX_OPTIONS = {
  throwOnError: true,
  strict: "error",
  output: "htmlAndMathml", // the MathML copy is what screen readers read
};

// texmath catches KaTeX's errors and prints the TeX with the message; this engine notes them too,
// so that the build can fail on a formula KaTeX cannot typeset.
let errors = [];
const engine = {
  renderToString(tex, options) {
    try {
      return katex.renderToString(tex, { ...options, ...KATEX_OPTIONS });
    } catch (err) {
      errors.push(`${tex}: ${err.message}`);
      throw err;
    }
  },
};

const md = new MarkdownIt({ html: false, linkify: false, typographer: false })
  .use(texmath, { engine, delimiters: "dollars" });

// texmath wraps math in <eq> and <section><eqn>; the site's pages (and their styles) use the
// markup of pymdownx.arithmatex instead.
const typeset = (display) => (tokens, idx) => {
  const html = texmath.render(tokens[idx].content, display, {});
  return display ? `<div class="arithmatex">${html}</div>\n` : `<span class="arithmatex">${html}</span>`;
};
md.renderer.rules.math_inline = typeset(false);
md.renderer.rules.math_inline_double = typeset(true);
md.renderer.rules.math_block = typeset(true);
md.renderer.rules.math_block_eqno = typeset(true);

function collect(render) {
  errors = [];
  const html = render();
  const found = errors;
  errors = [];
  return { html, errors: found };
}

/** A block of Markdown (paragraphs, lists, code) as HTML: `{html, errors}`. */
export function renderBlock(text) {
  return collect(() => md.render(String(text)));
}

/** One line of Markdown (a choice, a hint) as inline HTML: `{html, errors}`. */
export function renderInline(text) {
  return collect(() => md.renderInline(String(text)));
}

/** A block of code, escaped, as `<pre><code>`. */
export function renderCode(code) {
  return `<pre><code>${md.utils.escapeHtml(String(code))}</code></pre>`;
}

/**
 * Every text of a bridge reply rendered: statement and instructions, the choices, hints, the
 * steps of a solution and a verdict's lead and detail. Fields keep their names with an `Html` suffix;
 * KaTeX's complaints are listed in `errors` (empty when all went well).
 */
export function renderReply(reply) {
  const errors = [];
  const block = (text) => { const r = renderBlock(text); errors.push(...r.errors); return r.html; };
  const inline = (text) => { const r = renderInline(text); errors.push(...r.errors); return r.html; };
  const out = { ...reply };
  if (reply.problem) {
    const p = reply.problem;
    out.problem = {
      ...p,
      statementHtml: block(p.statement),
      instructionsHtml: inline(p.instructions),
      choicesHtml: (p.answer.choices || []).map(([key, text]) => [key, inline(text)]),
    };
  }
  if (reply.hints) out.hintsHtml = reply.hints.map(inline);
  if (reply.solution) {
    const s = reply.solution;
    out.solution = {
      ...s,
      stepsHtml: s.steps.map(inline),
      answerHtml: s.answer.includes("\n") ? renderCode(s.answer) : inline(s.answer),
    };
  }
  if (reply.verdict) {
    // The lead ("Correct.") is one sentence, shown in bold; the detail is Markdown, maybe empty.
    const { lead, detail } = reply.verdict;
    out.verdict = { ...reply.verdict, leadHtml: inline(lead), detailHtml: detail ? block(detail) : "" };
  }
  out.errors = errors;
  return out;
}
