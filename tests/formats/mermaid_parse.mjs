// Parses Mermaid wardley-beta files with Mermaid's own parser (@mermaid-js/parser).
// Usage: node mermaid_parse.mjs PARSER_PACKAGE_DIR FILE...
// Prints one JSON object per file: {file, ok, error?, names?, links?, evolves?} so the
// Python tests can check both that the grammar accepts our text and what it read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, ...files] = process.argv.slice(2);
// The package is installed in a cache folder, not beside this script, so it is loaded
// by path (ESM ignores NODE_PATH).
const meta = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
const entry = meta.exports['.'].import;
const { parse } = await import(pathToFileURL(join(packageDir, entry)).href);

let failed = 0;
for (const file of files) {
  const text = await readFile(file, 'utf8');
  try {
    const ast = await parse('wardley', text);
    const pipelineNames = ast.pipelines.flatMap((p) => p.components.map((c) => c.name));
    console.log(JSON.stringify({
      file,
      ok: true,
      title: ast.title ?? null,
      names: [...ast.anchors, ...ast.components].map((c) => c.name).concat(pipelineNames),
      points: [...ast.anchors, ...ast.components].map((c) => [c.visibility, c.evolution]),
      links: ast.links.map((l) => [l.from, l.to, l.fromPort ?? l.toPort ?? l.arrow ?? null, l.linkLabel ?? null]),
      evolves: ast.evolves.map((e) => [e.component, e.target]),
      notes: ast.notes.map((n) => n.text),
      stages: ast.evolution ? ast.evolution.stages.map((s) => [s.name, s.boundary ?? null]) : [],
    }));
  } catch (error) {
    failed += 1;
    console.log(JSON.stringify({ file, ok: false, error: String(error.message ?? error).split('\n')[0] }));
  }
}
process.exitCode = failed ? 1 : 0;
