// Parse Mermaid text from stdin with the real mermaid parser (mermaid + jsdom from npm), for
// tests/definition/test_diagram.py. Run with the folder holding node_modules as the working
// directory: node --input-type=module < this file is not how it is used; the test passes the text
// of this file to `node --input-type=module -e`, so imports resolve from TTHC_MERMAID_DIR.
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
let text = "";
for await (const chunk of process.stdin) text += chunk;
try {
  const result = await mermaid.parse(text);
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(String(e.message || e));
  process.exit(1);
}
