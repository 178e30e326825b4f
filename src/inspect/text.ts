import pc from 'picocolors';
import type { InspectResult, PolicyView, ProbeView, ValueView } from './collect.js';

type Colors = ReturnType<typeof pc.createColors>;

const WIDTH = 80;

/** The human-readable inspect report: one block per policy, readable at 80 columns. */
export function formatInspectText(r: InspectResult, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const lines: string[] = [];
  if (r.configFile) lines.push(c.dim(`config: ${r.configFile}`));
  if (r.trustedOrigins?.length) lines.push(c.dim(`trustedOrigins: ${r.trustedOrigins.join(', ')}`));
  if (r.policies.length === 0) {
    lines.push('No CORS policy found.');
    return `${lines.join('\n')}\n`;
  }
  r.policies.forEach((p, i) => {
    if (lines.length) lines.push('');
    lines.push(...policyBlock(p, i + 1, r.policies.length, c));
  });
  if (r.findings.length) {
    lines.push('', c.bold(`Findings (${r.findings.length}):`));
    for (const f of r.findings) lines.push(clip(`  ${f.file}:${f.line}:${f.column}  ${f.severity === 'error' ? c.red('error') : c.yellow('warning')}  ${f.ruleId}`, WIDTH + 20));
  }
  return `${lines.join('\n')}\n`;
}

function policyBlock(p: PolicyView, n: number, total: number, c: Colors): string[] {
  const out: string[] = [];
  out.push(c.bold(`Policy ${n}/${total}: ${p.framework} (${p.layer})`));
  const field = (name: string, text: string) => {
    const label = `  ${name.padEnd(14)}`;
    wrap(text, WIDTH - label.length).forEach((t, i) => out.push(`${i === 0 ? label : ' '.repeat(label.length)}${t}`));
  };
  field('at', `${p.file}:${p.line}:${p.column}`);
  if (p.version) field('version', p.version);
  field('scope', scopeText(p));
  if (p.origins.known) {
    const entries = p.origins.entries;
    if (entries.length === 0) field('origins', 'none (no CORS headers)');
    entries.forEach((e, i) => field(i === 0 ? 'origins' : '', `${e.text}  ${c.dim(`${e.kind}, line ${e.line}`)}`));
    if (entries.length > 1 || p.originForm === 'single') field('', c.dim(p.originForm === 'single' ? 'one fixed value' : 'matched per request'));
  } else {
    field('origins', valueText(p.origins, c));
  }
  field('credentials', valueText(p.credentials, c));
  field('methods', valueText(p.methods, c));
  field('allow headers', valueText(p.allowHeaders, c));
  field('expose hdrs', valueText(p.exposeHeaders, c));
  field('max-age', valueText(p.maxAge, c));
  p.headers.forEach((h, i) => field(i === 0 ? 'headers' : '', `${h.name}: ${valueText(h.value, c)}${h.always ? ' always' : ''}${h.append ? ' (append)' : ''}`));
  for (const u of p.unknownOptions) field('unknown key', `${u.key} (line ${u.line})${u.suggestion ? ` — did you mean ${u.suggestion}?` : ''}`);
  for (const u of p.unknowns) {
    const fb = u.fallback !== undefined ? `; fallback ${show(u.fallback)}` : '; no fallback';
    field('unknown', `${u.what}: ${u.reason} (line ${u.line})${fb}`);
  }
  out.push('');
  out.push(...probeTable(p.probes, c));
  return out;
}

function scopeText(p: PolicyView): string {
  const parts: string[] = [];
  if (p.scope.paths) parts.push(p.scope.paths.length ? `paths ${p.scope.paths.join(', ')}` : 'no paths (off)');
  if (p.scope.urlRegex) parts.push(`URLs matching ${p.scope.urlRegex}`);
  if (p.scope.server) parts.push(`server ${p.scope.server}`);
  if (p.scope.location) parts.push(`location ${p.scope.location}`);
  return parts.length ? parts.join('; ') : 'everywhere the middleware runs';
}

function valueText(v: ValueView, c: Colors): string {
  if (v.known) return `${show(v.value)}${v.default ? c.dim(' (default)') : c.dim(` (line ${v.line})`)}`;
  const fb = v.fallback !== undefined ? `, fallback ${show(v.fallback)}` : '';
  return c.yellow(`unknown: ${v.reason}${fb}`);
}

function show(v: unknown): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '[]';
  if (typeof v === 'string') return v === '' ? "''" : v;
  return JSON.stringify(v);
}

const COLS = { mark: 3, kind: 14, origin: 36, acao: 13, acac: 5 };

/** One row per probe: what the server answers to a credentialed request from it. */
function probeTable(probes: ProbeView[], c: Colors): string[] {
  const out: string[] = [];
  out.push(c.dim(`${''.padEnd(COLS.mark)}${'probe'.padEnd(COLS.kind)}${'origin'.padEnd(COLS.origin)}${'ACAO'.padEnd(COLS.acao)}${'ACAC'.padEnd(COLS.acac)}Vary`));
  for (const p of probes) {
    const mark = p.attack ? (p.verdict === 'reads-with-cookies' ? '!!' : '! ') : '  ';
    const acao = p.verdict === 'unknown' ? '?' : p.acao === null ? '-' : p.acao === p.origin ? 'echo' : p.acao;
    const vary = p.verdict === 'unknown' ? '' : (p.vary ?? '-');
    const rest = WIDTH - COLS.mark - COLS.kind - COLS.origin - COLS.acao - COLS.acac;
    let row =
      `${mark.padEnd(COLS.mark)}${p.kind.padEnd(COLS.kind)}${cell(p.origin, COLS.origin)}${cell(acao, COLS.acao)}` +
      `${cell(p.verdict === 'unknown' ? '?' : p.acac ? 'true' : '-', COLS.acac)}${clip(vary, rest)}`;
    row = row.trimEnd();
    out.push(p.attack ? c.red(row) : p.verdict === 'unknown' ? c.yellow(row) : row);
    if (p.unknown) out.push(c.yellow(clip(`${' '.repeat(COLS.mark + COLS.kind)}unknown: ${p.unknown}`, WIDTH)));
    if (p.assumption && p.attack) out.push(c.dim(clip(`${' '.repeat(COLS.mark + COLS.kind)}${p.assumption}`, WIDTH)));
  }
  out.push(c.dim("!! an attacker reads responses with the user's cookies   ! without them"));
  return out;
}

function cell(s: string, width: number): string {
  return clip(s, width - 1).padEnd(width);
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

function wrap(text: string, width: number): string[] {
  // Colour codes do not take columns; wrap only plain long text.
  if (text.length <= width || text.includes('\u001b')) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}
