// Renders bridge replies (lossref.practice problems) to HTML at build time with the same module
// the browser's worker uses (docs/javascripts/practice/render.js). Protocol: one JSON reply per
// line on stdin; one JSON line back, the rendered reply, with KaTeX's complaints in "errors".
import readline from "node:readline";
import { renderReply } from "../javascripts/practice/render.js";

const lines = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  let out;
  try {
    out = renderReply(JSON.parse(line));
  } catch (err) {
    out = { errors: [String(err && err.message ? err.message : err)] };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
