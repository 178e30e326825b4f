/**
 * Just enough YAML for docker-compose files: block maps, block lists,
 * flow lists of scalars, quoted and plain scalars, comments. Anchors, tags,
 * multi-line scalars and flow maps are read as plain text or skipped: a
 * compose file only feeds linking evidence, never a finding on its own.
 */
export type YamlValue = string | YamlValue[] | { [k: string]: YamlValue } | null;

export interface YamlNode {
  value: YamlValue;
  /** 1-based line of each map key, by path ("services.api.build"). */
  lines: Map<string, number>;
}

interface Line {
  indent: number;
  text: string;
  line: number;
}

export function parseYamlLite(text: string): YamlNode {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const noComment = stripComment(raw);
    if (!noComment.trim() || noComment.trim() === '---') return;
    lines.push({ indent: raw.length - raw.trimStart().length, text: noComment.trim(), line: i + 1 });
  });
  const keyLines = new Map<string, number>();
  let pos = 0;

  const block = (indent: number, path: string): YamlValue => {
    const first = lines[pos];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith('- ') || first.text === '-') return list(first.indent, path);
    return map(first.indent, path);
  };

  const list = (indent: number, path: string): YamlValue[] => {
    const out: YamlValue[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && (lines[pos]!.text.startsWith('- ') || lines[pos]!.text === '-')) {
      const l = lines[pos]!;
      const rest = l.text.slice(1).trim();
      pos++;
      if (rest === '') out.push(block(indent + 1, `${path}[]`));
      else if (/^[^'"[{][^:]*:(\s|$)/.test(rest)) {
        // "- key: value" opens a map at the dash's content column: reread the line as that map's first key.
        pos--;
        lines[pos] = { indent: indent + 2, text: rest, line: l.line };
        out.push(map(indent + 2, `${path}[]`));
      } else out.push(scalar(rest));
    }
    return out;
  };

  const map = (indent: number, path: string): { [k: string]: YamlValue } => {
    const out: { [k: string]: YamlValue } = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const l = lines[pos]!;
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(\s+(.*))?$/.exec(l.text);
      if (!m) {
        pos++;
        continue;
      }
      const key = unquote(m[1]!.trim());
      const p = path ? `${path}.${key}` : key;
      keyLines.set(p, l.line);
      pos++;
      const rest = m[3]?.trim();
      if (rest !== undefined && rest !== '' && rest !== '|' && rest !== '>' && !rest.startsWith('&')) out[key] = scalar(rest);
      else {
        const next = lines[pos];
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) out[key] = block(next.indent, p);
        else out[key] = null;
      }
    }
    return out;
  };

  const value = block(0, '');
  return { value, lines: keyLines };
}

function scalar(s: string): YamlValue {
  if (s.startsWith('[') && s.endsWith(']')) {
    return s
      .slice(1, -1)
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(unquote);
  }
  return unquote(s);
}

function unquote(s: string): string {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  return s;
}

function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}
