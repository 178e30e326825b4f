import { it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { evaluate } from '../../src/semantics/index.js';
it('s', async () => {
  const r = await lint([process.env.T ?? '/tmp/ngx1'], { cwd: process.env.C ?? '/work/main' });
  for (const f of r.findings) console.log(`${f.file}:${f.line}:${f.column}-${f.endLine} ${f.ruleId} ${f.message}`);
  for (const p of r.policies) {
    console.log(p.framework, JSON.stringify(p.scope), (p.extra?.nginx as any)?.value?.label, JSON.stringify(p.origins.known ? p.origins.value.map((e: any) => [e.kind, e.origin ?? e.source ?? '', e.loc.line]) : p.origins));
    for (const o of ['https://evil.example', 'https://app.example.com']) {
      const ev = evaluate(p, { origin: o, credentialed: true, preflight: false, method: 'GET' });
      console.log('   ', o, JSON.stringify(ev.response.known ? ev.response.headers.map((h) => `${h.name}: ${h.value} @${h.loc?.line}`) : ev.response), ev.response.known ? ev.response.status : '');
    }
  }
});
