import { describe, expect, it } from 'vitest';
import { isNginxPath } from '../../src/extractors/nginx/index.js';
import { parseNginx, walk } from '../../src/extractors/nginx/parser.js';
import { stripTemplating } from '../../src/extractors/nginx/template.js';

describe('nginx candidates seen in real repositories', () => {
  it('reads server blocks named after their host in an nginx/ folder, and nginx-proxy vhost.d snippets', () => {
    for (const p of ['nginx/api.example.ru', 'deploy/nginx/shop.example.com', 'docker/nginx/default', 'vhost.d/api.example.io', 'proxy/vhost.d/api.example.io_location', 'vhost.d/default']) {
      expect(isNginxPath(p), p).toBe(true);
    }
  });

  it('passes over what else lives in an nginx/ folder', () => {
    for (const p of ['nginx/Dockerfile', 'nginx/README', 'nginx/readme.md', 'nginx/entrypoint.sh', 'nginx/docker-compose.yml', 'nginx/cert.pem', 'nginx/site.conf.example', 'nginx/.htpasswd', 'nginx/app.js', 'web/api.example.ru']) {
      expect(isNginxPath(p), p).toBe(false);
    }
  });
});

describe('Go templates (docker-gen nginx.tmpl)', () => {
  const text = [
    '{{/* generated */}}',
    '{{ range $host, $c := groupByMulti $ "Env.VIRTUAL_HOST" "," }}',
    '{{ $proto := or (first $c) "http" }}',
    'server {',
    '    server_name {{ $host }};',
    '{{ if $c }}',
    '    add_header Access-Control-Allow-Origin "{{ $host }}" always;',
    '{{- else }}',
    '    return 503;',
    '{{- end }}',
    '}',
    '{{ end }}',
  ].join('\n');

  it('blanks actions that print nothing and keeps every position', () => {
    const out = stripTemplating(text, '/x/nginx.tmpl');
    expect(out.text.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    const lines = out.text.split('\n');
    for (const i of [0, 1, 2, 5, 7, 9, 11]) expect(lines[i]!.trim(), text.split('\n')[i]).toBe('');
    const add = [...walk(parseNginx(out.text, 'nginx.tmpl').directives)].find((d) => d.name === 'add_header')!;
    expect(add.loc.line).toBe(7);
    expect(add.args[1]!.value).toMatch(/^\$\{TPL_+\}$/);
  });

  it('still treats printed values as placeholders, also in Jinja', () => {
    expect(stripTemplating('listen {{ .Env.PORT }};', '/x/a.tmpl').text).toMatch(/^listen \$\{TPL_+\};$/);
    expect(stripTemplating('listen {{ port_number }};', '/x/a.j2').text).toMatch(/^listen \$\{TPL_+\};$/);
    expect(stripTemplating('set $a {{ if_cond }};', '/x/a.j2').text).toMatch(/^set \$a \$\{TPL_+\};$/);
  });
});
