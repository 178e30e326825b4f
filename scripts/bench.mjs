#!/usr/bin/env node
// Generates a large synthetic repository and reports how many files per
// second corslint lints. Timings are printed, never asserted.
//   npm run bench [-- --files 20000 --keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist', 'src', 'index.js');
if (!existsSync(dist)) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const { lint } = await import(dist);

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const total = opt('files', 20000);
const runs = opt('runs', 3);
const keep = args.includes('--keep');

const root = path.join(tmpdir(), `corslint-bench-${total}`);
rmSync(root, { recursive: true, force: true });

// A mix close to a real monorepo: most files never mention CORS; a few
// percent configure it, in every language corslint reads.
const templates = [
  (i) => [`src/mod${i % 97}/util${i}.js`, `export function f${i}(a, b) {\n  return a + b * ${i};\n}\n`.repeat(8)],
  (i) => [`src/mod${i % 97}/comp${i}.tsx`, `import React from 'react';\nexport const C${i} = () => <div className="x${i}">{${i}}</div>;\n`.repeat(6)],
  (i) => [`lib/py${i % 53}/m${i}.py`, `def f${i}(a):\n    return a * ${i}\n`.repeat(10)],
  (i) => [`docs/page${i}.md`, `# Page ${i}\n\nText about things.\n`.repeat(10)],
  (i) => [`app/Http/C${i}.php`, `<?php\nclass C${i} { public function x() { return ${i}; } }\n`],
];
const cors = [
  (i) => [`services/s${i}/server.js`, `const cors = require('cors');\nconst app = require('express')();\napp.use(cors({ origin: ${i % 3 ? "['https://app.example.com']" : 'true'}, credentials: true }));\napp.listen(${3000 + (i % 1000)});\n`],
  (i) => [`services/s${i}/handler.ts`, `export function h(req: any, res: any) {\n  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  res.setHeader('Vary', 'Origin');\n}\n`],
  (i) => [`php${i}/config/cors.php`, `<?php\nreturn [\n  'paths' => ['api/*'],\n  'allowed_origins' => ['*'],\n  'supports_credentials' => ${i % 2 ? 'true' : 'false'},\n];\n`],
  (i) => [`py${i}/settings.py`, `DEBUG = False\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = ${i % 2 ? 'True' : 'False'}\nMIDDLEWARE = ['corsheaders.middleware.CorsMiddleware']\n`],
  (i) => [`deploy/nginx${i}.conf`, `server {\n  listen 80;\n  location / {\n    add_header Access-Control-Allow-Origin $http_origin always;\n    proxy_pass http://127.0.0.1:${3000 + (i % 1000)};\n  }\n}\n`],
];
const corsShare = 0.03;
let written = 0;
for (let i = 0; i < total; i++) {
  const t = Math.random() < corsShare ? cors[i % cors.length] : templates[i % templates.length];
  const [rel, text] = t(i);
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  written++;
}
mkdirSync(path.join(root, 'node_modules/cors'), { recursive: true });
writeFileSync(path.join(root, 'node_modules/cors/index.js'), 'module.exports = function cors() {}\n');


async function run(label) {
  const times = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = await lint([root], { cwd: root });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const s = result.stats;
  console.log(
    `bench: ${label}: ${s.filesDiscovered} files, ${s.filesParsed} parsed, ${s.policies} policies, ` +
      `${result.findings.length} findings; median ${median.toFixed(0)} ms over ${runs} runs = ` +
      `${Math.round(s.filesDiscovered / (median / 1000))} files/s`,
  );
}

console.log(`bench: generated ${written} files in ${root}`);
await run('walk (no git)');
execFileSync('git', ['init', '-q'], { cwd: root });
await run('git ls-files');
if (!keep) rmSync(root, { recursive: true, force: true });
