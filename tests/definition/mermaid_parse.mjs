// Parse Mermaid diagrams with the real mermaid parser (mermaid + jsdom from npm), for
// tests/definition/test_diagram.py: stdin is a JSON list of diagram texts, stdout a JSON list with,
// for each, null (parsed) or the parser's message. The test runs it with
// `node --input-type=module -e <this file>` in TTHC_MERMAID_DIR, so the imports resolve there.
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    const result = await mermaid.parse(text);
    out.push(result && result.diagramType === "stateDiagram" ? null : `not a state diagram: ${JSON.stringify(result)}`);
  } catch (e) {
    out.push(String(e.message || e));
  }
}
console.log(JSON.stringify(out));
