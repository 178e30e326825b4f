/**
 * nginx configs kept as templates: the Docker image's envsubst templates
 * (`*.conf.template`, `${VAR}` — already valid nginx syntax) and Jinja/ERB/Go
 * templates (`{{ var }}`, `{% if %}`, `<%= x %>`, `{{ range }}`), whose braces would
 * unbalance the parse. Template tags are blanked with the same length so
 * every location stays where it was written: `{{ x }}` becomes a placeholder
 * word, `{% ... %}` and `{# ... #}` become spaces.
 */
export function stripTemplating(text: string, absPath: string): { text: string; template: boolean } {
  const isTemplate = /\.(template|tpl|j2|jinja2?|erb|tmpl)$/i.test(absPath);
  if (!isTemplate) return { text, template: false };
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const out = text
    .replace(/\{#[\s\S]*?#\}/g, blank)
    .replace(/\{%[\s\S]*?%\}/g, blank)
    .replace(/<%[\s\S]*?%>/g, (s) => (s.startsWith('<%=') ? placeholder(s) : blank(s)))
    .replace(/\{\{[\s\S]*?\}\}/g, (s) => (GO_ACTION.test(s) ? blank(s) : placeholder(s)));
  return { text: out, template: true };
}

/**
 * Go text/template (docker-gen's nginx.tmpl, Helm) actions that print
 * nothing: control structure, comments and variable assignments. They are
 * blanked like Jinja's `{% %}`; `{{ $host }}` / `{{ .Env.X }}` print a value
 * and become a placeholder.
 */
const GO_ACTION = /^\{\{-?\s*(?:\/\*|(?:if|else|end|range|with|define|template|block|break|continue)\b|\$[\w.]*\s*:?=[^=])/;

/** `{{ cors_origin }}` → `${__tpl_______}`-like word of the same length, read as an unknown template variable. */
function placeholder(s: string): string {
  if (s.includes('\n') || s.length < 8) return s.replace(/[^\n]/g, '_');
  return `\${TPL${'_'.repeat(s.length - 6)}}`;
}
