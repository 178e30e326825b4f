import { Parser, Language } from 'web-tree-sitter';
import { createRequire } from 'node:module';
import fs from 'node:fs';
const require = createRequire(import.meta.url);
await Parser.init();
const lang = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
const p = new Parser(); p.setLanguage(lang);
const src = fs.readFileSync(process.argv[2], 'utf8');
const t = p.parse(src);
function dump(n, d=0, field=''){ console.log(' '.repeat(d)+(field?field+': ':'')+n.type+(n.childCount?'':' '+JSON.stringify(n.text))); for (let i=0;i<n.childCount;i++){ const c=n.child(i); dump(c,d+1,n.fieldNameForChild(i)||''); } }
dump(t.rootNode);
t.delete();
