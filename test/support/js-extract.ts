import { expect } from 'vitest';
import type { ModuleResolver } from '../../src/extractors/express/index.js';
import { parseProgram } from '../../src/extractors/express/index.js';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';

/** Sibling modules of an in-memory file, by the specifier that imports them (`./cors-config`). */
export function memoryResolver(modules: Record<string, string>): ModuleResolver {
  return (_from, spec) => {
    const text = modules[spec];
    if (text === undefined) return undefined;
    const f = spec.replace(/^\.\//, '');
    return { id: f, file: f, program: parseProgram(text, f), text };
  };
}

/** The only policy extracted. */
export function onlyPolicy(policies: Policy[]): Policy {
  expect(policies).toHaveLength(1);
  return policies[0]!;
}

/** Entries without locations, for compact comparisons. */
export function entries(v: Val<OriginEntry[]>): unknown {
  const strip = ({ loc: _loc, ...rest }: OriginEntry) => rest;
  return v.known ? v.value.map(strip) : { unknown: v.reason, fallback: v.fallback?.map(strip), variable: v.variable };
}

/** `line:column` of where a value is written. */
export const at = (v: { loc: { line: number; column: number } }) => `${v.loc.line}:${v.loc.column}`;
