/** Where each rule's page lives; one place so forks can point it elsewhere. */
export const DOCS_BASE = 'https://github.com/corslint/corslint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
