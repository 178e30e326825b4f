import type { CheckSubject, OriginCheck } from '../model/index.js';
import { compileOriginRegex } from './regex/compile.js';

/** `new URL(origin)` threw inside the user's check: the request is rejected. */
class SubjectThrows extends Error {}

/**
 * Run a custom origin check (see OriginCheck in src/model/origin.ts) on one
 * Origin. Three-valued: undefined when the answer depends on a part the
 * adapter could not read.
 */
export function evaluateCheck(check: OriginCheck, origin: string): boolean | undefined {
  try {
    return evaluate(check, origin);
  } catch (e) {
    if (e instanceof SubjectThrows) return false;
    throw e;
  }
}

function evaluate(c: OriginCheck, origin: string): boolean | undefined {
  switch (c.op) {
    case 'equals':
    case 'startsWith':
    case 'endsWith':
    case 'includes': {
      const subject = fold(subjectOf(origin, c.subject), c.ignoreCase);
      const v = c.value;
      if (c.op === 'equals') return subject === v;
      if (c.op === 'startsWith') return subject.startsWith(v);
      if (c.op === 'endsWith') return subject.endsWith(v);
      return subject.includes(v);
    }
    case 'oneOf': {
      const subject = fold(subjectOf(origin, c.subject), c.ignoreCase);
      return c.values.includes(subject);
    }
    case 'regex': {
      const compiled = compileOriginRegex(c.source, c.flags, c.flavor ?? 'js');
      if (!compiled.ok) return undefined;
      return compiled.regex.test(fold(subjectOf(origin, c.subject), c.ignoreCase));
    }
    case 'not': {
      const v = evaluate(c.arg, origin);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      let unknown = false;
      for (const a of c.args) {
        const v = evaluate(a, origin);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const a of c.args) {
        const v = evaluate(a, origin);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case 'unknown':
      return undefined;
  }
}

function fold(s: string, ignoreCase: boolean | undefined): string {
  return ignoreCase ? s.toLowerCase() : s;
}

function subjectOf(origin: string, subject: CheckSubject | undefined): string {
  if (!subject || subject === 'origin') return origin;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new SubjectThrows();
  }
  switch (subject) {
    case 'hostname':
      return u.hostname;
    case 'host':
      return u.host;
    case 'protocol':
      return u.protocol;
  }
}

/** The literal strings a check compares against, for deriving the origins it means to trust. */
export function checkLiterals(c: OriginCheck): { op: string; value: string; subject: CheckSubject }[] {
  switch (c.op) {
    case 'equals':
    case 'startsWith':
    case 'endsWith':
    case 'includes':
      return [{ op: c.op, value: c.value, subject: c.subject ?? 'origin' }];
    case 'oneOf':
      return c.values.map((value) => ({ op: 'equals', value, subject: c.subject ?? 'origin' }));
    case 'and':
    case 'or':
      return c.args.flatMap(checkLiterals);
    case 'regex':
    case 'not':
    case 'unknown':
      return [];
  }
}

/** The regexes inside a check (not under a negation). */
export function checkRegexes(c: OriginCheck): Extract<OriginCheck, { op: 'regex' }>[] {
  switch (c.op) {
    case 'regex':
      return [c];
    case 'and':
    case 'or':
      return c.args.flatMap(checkRegexes);
    default:
      return [];
  }
}
