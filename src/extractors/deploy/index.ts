import path from 'node:path';
import type { ExtractResult, Extractor, Loc, ProjectFact, SourceFile } from '../../model/index.js';
import { commandPort } from './commands.js';
import type { YamlValue } from './yaml-lite.js';
import { parseYamlLite } from './yaml-lite.js';

const COMPOSE = /(^|\/)(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;
const DOCKERFILE = /(^|\/)(Dockerfile([.-][\w.-]+)?|[\w.-]+\.Dockerfile)$/;
const PROCFILE = /(^|\/)Procfile$/;

/**
 * Deployment files, read only for evidence that links a proxy to an app
 * (src/analysis/layers.ts): which port an app listens on and which
 * docker-compose service is built from which directory. They carry no CORS
 * policy of their own.
 *
 * Facts: `listen` {port, via} and `compose-service` {name, context, ports}.
 */
export const deployExtractor: Extractor = {
  name: 'deploy',
  matchesPath: (rel) => COMPOSE.test(rel) || DOCKERFILE.test(rel) || PROCFILE.test(rel),
  sniff: () => true,
  extract(file: SourceFile): ExtractResult {
    const base = path.posix.basename(file.path);
    if (COMPOSE.test(file.path)) return { policies: [], facts: composeFacts(file) };
    if (PROCFILE.test(base)) return { policies: [], facts: lineFacts(file, /^[\w-]+:\s*(.*)$/) };
    return { policies: [], facts: dockerfileFacts(file) };
  },
};

function at(file: SourceFile, line: number): Loc {
  const text = file.text.split(/\r?\n/)[line - 1] ?? '';
  const col = text.length - text.trimStart().length + 1;
  return { file: file.path, line, column: col, endLine: line, endColumn: text.length + 1 };
}

function dockerfileFacts(file: SourceFile): ProjectFact[] {
  const out: ProjectFact[] = [];
  file.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const expose = /^EXPOSE\s+(.+)$/i.exec(line);
    if (expose) {
      for (const p of expose[1]!.split(/\s+/)) {
        const m = /^(\d{2,5})(\/(tcp|udp))?$/.exec(p);
        if (m) out.push({ kind: 'listen', loc: at(file, i + 1), data: { port: Number(m[1]), via: `Dockerfile EXPOSE ${m[1]}` } });
      }
      return;
    }
    const cmd = /^(CMD|ENTRYPOINT|RUN)\s+(.+)$/i.exec(line);
    if (cmd && cmd[1]!.toUpperCase() !== 'RUN') {
      const p = commandPort(cmd[2]!);
      if (p) out.push({ kind: 'listen', loc: at(file, i + 1), data: { port: p.port, via: p.via } });
    }
  });
  return out;
}

function lineFacts(file: SourceFile, re: RegExp): ProjectFact[] {
  const out: ProjectFact[] = [];
  file.text.split(/\r?\n/).forEach((raw, i) => {
    const m = re.exec(raw.trim());
    const p = m ? commandPort(m[1]!) : undefined;
    if (p) out.push({ kind: 'listen', loc: at(file, i + 1), data: { port: p.port, via: p.via } });
  });
  return out;
}

function composeFacts(file: SourceFile): ProjectFact[] {
  let doc;
  try {
    doc = parseYamlLite(file.text);
  } catch {
    return [];
  }
  const root = asMap(doc.value);
  const services = asMap(root?.services);
  if (!services) return [];
  const dir = path.posix.dirname(file.path);
  const out: ProjectFact[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const svc = asMap(raw);
    if (!svc) continue;
    const line = doc.lines.get(`services.${name}`) ?? 1;
    const build = svc.build;
    let context: string | undefined;
    if (typeof build === 'string') context = build;
    else if (asMap(build) && typeof asMap(build)!.context === 'string') context = asMap(build)!.context as string;
    if (context === undefined) {
      // php-fpm and similar images get the app as a bind mount: `./backend:/var/www/html`.
      const vol = asList(svc.volumes).find((v): v is string => typeof v === 'string' && /^\.{1,2}\/|^\.:/.test(v));
      if (vol) context = vol.split(':')[0]!;
    }
    const ports: number[] = [];
    for (const p of [...asList(svc.ports), ...asList(svc.expose)]) {
      const s = typeof p === 'string' ? p : asMap(p) && typeof asMap(p)!.target === 'string' ? (asMap(p)!.target as string) : undefined;
      const m = s ? /(\d{2,5})(\/(tcp|udp))?$/.exec(s) : undefined;
      if (m) ports.push(Number(m[1]));
    }
    const data: Record<string, unknown> = { name, ports };
    if (context !== undefined) data.context = normalize(path.posix.join(dir, context));
    out.push({ kind: 'compose-service', loc: at(file, line), data });
    const command = svc.command;
    const cmd = typeof command === 'string' ? command : Array.isArray(command) ? command.join(' ') : undefined;
    const p = cmd ? commandPort(cmd) : undefined;
    if (p && context !== undefined) {
      const cmdLine = doc.lines.get(`services.${name}.command`) ?? line;
      // The command runs in the service's build context: the listen fact belongs there.
      out.push({ kind: 'listen', loc: at(file, cmdLine), data: { port: p.port, via: `${p.via} (docker-compose service ${name})`, dir: data.context } });
    }
  }
  return out;
}

function normalize(p: string): string {
  const n = path.posix.normalize(p).replace(/\/$/, '');
  return n === '.' ? '' : n;
}

function asMap(v: YamlValue | undefined): { [k: string]: YamlValue } | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function asList(v: YamlValue | undefined): YamlValue[] {
  return Array.isArray(v) ? v : [];
}
