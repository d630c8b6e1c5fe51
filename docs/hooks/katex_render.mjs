// Renders TeX to HTML with KaTeX at build time, so that pages need KaTeX's CSS and fonts but no
// JavaScript. Protocol: one JSON request per line on stdin, {"tex": "...", "display": bool}; one
// JSON reply per line on stdout, {"html": "..."} or {"error": "..."}.
import katex from "katex";
import readline from "node:readline";

const lines = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  let reply;
  try {
    const { tex, display } = JSON.parse(line);
    reply = {
      html: katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true, // a TeX error must fail the build, not print red text on a page
        strict: "error",
        output: "htmlAndMathml", // the MathML copy is what screen readers read
      }),
    };
  } catch (err) {
    reply = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
