import type { Finding, RelatedLocation, Severity } from './finding.js';
import type { Loc } from './loc.js';
import type { Framework, Policy } from './policy.js';
import type { CorsRequest, CorsResponse } from './request.js';

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One line, for --help, SARIF shortDescription and the ESLint plugin. */
  description: string;
  /** CWE id, e.g. 942 (Permissive Cross-domain Policy with Untrusted Domains). */
  cwe?: number;
  /** Rules that look at one policy at a time can run inside the ESLint plugin. */
  scope: 'policy' | 'project';
}

/**
 * How a policy answers one request. `world` says whether every value it
 * depended on was written in the configuration or a written fallback was
 * assumed (`assumption` then reads like "when CORS_ORIGIN is unset").
 */
export interface Evaluation {
  response: CorsResponse;
  world: 'written' | 'fallback';
  assumption?: string;
}

export interface ReportDescriptor {
  loc: Loc;
  message: string;
  related?: RelatedLocation[];
  framework?: Framework;
}

/** Everything the linker learned about the repository as a whole. */
export interface ProjectView {
  root: string;
  /** Absolute directory that `Loc.file` paths are relative to (dev-origin compares paths relative to `root`). */
  cwd?: string;
  policies: Policy[];
  /** Free-form facts extractors emit for linking (listen ports, upstreams, ...). */
  facts: ProjectFact[];
  /** Trusted origins from the configuration (`untrusted-origin`). */
  trustedOrigins?: string[];
  /** The trustedOrigins that govern a file (display path), when nested configurations may differ from the root's. */
  trustedOriginsFor?: (file: string) => string[] | undefined;
}

export interface ProjectFact {
  kind: string;
  loc: Loc;
  data: Record<string, unknown>;
}

export interface RuleContext {
  project: ProjectView;
  /** What the policy's middleware answers, using the framework's semantics. */
  evaluate(policy: Policy, request: CorsRequest): Evaluation;
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export type { Finding };
