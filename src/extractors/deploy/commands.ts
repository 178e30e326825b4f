/**
 * The port a server command listens on: uvicorn/gunicorn/hypercorn/daphne,
 * `php artisan serve`, `manage.py runserver`, `php -S`, `flask run`, each with
 * its default when no port is written.
 */
export function commandPort(cmd: string): { port: number; via: string } | undefined {
  const c = cmd.replace(/["',[\]]/g, ' ').replace(/\s+/g, ' ');
  const flag = (names: string[]) => {
    for (const n of names) {
      const m = new RegExp(`(?:^|\\s)${n}(?:=|\\s)(?:[\\w.-]*:)?(\\d{2,5})\\b`).exec(c);
      if (m) return Number(m[1]);
    }
    return undefined;
  };
  const servers: [RegExp, string, () => number | undefined, number][] = [
    [/\buvicorn\b/, 'uvicorn', () => flag(['--port']), 8000],
    [/\bhypercorn\b/, 'hypercorn', () => flag(['--bind', '-b']), 8000],
    [/\bgunicorn\b/, 'gunicorn', () => flag(['--bind', '-b']), 8000],
    [/\bdaphne\b/, 'daphne', () => flag(['--port', '-p']), 8000],
    [/\bartisan serve\b/, 'php artisan serve', () => flag(['--port']), 8000],
    [/\bmanage\.py runserver\b/, 'manage.py runserver', () => {
      const m = /runserver\s+(?:[\w.[\]-]*:)?(\d{2,5})\b/.exec(c);
      return m ? Number(m[1]) : undefined;
    }, 8000],
    [/\bphp -S\b/, 'php -S', () => {
      const m = /php -S\s+[\w.-]*:(\d{2,5})\b/.exec(c);
      return m ? Number(m[1]) : undefined;
    }, 8000],
    [/\bflask run\b/, 'flask run', () => flag(['--port', '-p']), 5000],
  ];
  for (const [re, name, port, dflt] of servers) {
    if (!re.test(c)) continue;
    const p = port();
    return { port: p ?? dflt, via: p ? `${name} on port ${p}` : `${name}, default port ${dflt}` };
  }
  return undefined;
}
