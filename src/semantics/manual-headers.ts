import type { CorsRequest, CorsResponse, EmittedHeader, OriginEntry, Policy, ResponseHeader } from '../model/index.js';
import { matchEntry } from '../probes/match.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * Hand-written headers (res.setHeader, PHP header()): the code sends exactly
 * what it writes. One written value is sent verbatim; a value read from the
 * request Origin is the request's Origin, sent only when the guard around it
 * (the entries) accepts it. Nothing adds Vary unless the code does.
 */
export function answerManualHeaders(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const headers: ResponseHeader[] = [];
  const entries = r.get(policy.origins);
  const single = policy.originForm === 'single' && entries.length === 1 ? entries[0]! : undefined;
  let origin: string | undefined;
  let originEntry: OriginEntry | undefined;
  if (single && single.kind === 'any') {
    origin = '*';
    originEntry = single;
  } else if (single && single.kind === 'exact') {
    origin = single.origin;
    originEntry = single;
  } else {
    for (const e of entries) {
      const m = matchEntry(e, req.origin);
      if (m === undefined) throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin check`, loc: e.loc });
      if (m) {
        origin = req.origin;
        originEntry = e;
        break;
      }
    }
  }
  if (origin !== undefined && origin !== '') {
    headers.push({ name: 'access-control-allow-origin', value: origin, loc: originEntry?.loc });
  }
  const otherwise = origin === undefined ? policy.headers.find((h) => h.name === 'access-control-allow-origin' && h.unlessOriginAllowed) : undefined;
  if (otherwise) {
    const value = r.get(otherwise.value);
    if (value !== '') headers.push({ name: 'access-control-allow-origin', value, loc: otherwise.loc });
  }
  // Headers the code writes only inside its origin check, or only for preflights.
  const sent = origin !== undefined;
  const written = (h: EmittedHeader | undefined) =>
    !h || ((!h.onlyIfOriginAllowed || sent) && (!h.onlyOnPreflight || req.preflight) && (!h.notOnPreflight || !req.preflight));
  const acac = policy.headers.find((h) => h.name === 'access-control-allow-credentials');
  if (r.get(policy.credentials) === true && written(acac)) {
    headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });
  }
  for (const h of policy.headers) {
    if (h.name === 'access-control-allow-origin' || h.name === 'access-control-allow-credentials') continue;
    if (!written(h)) continue;
    let value: string;
    try {
      value = r.get(h.value);
    } catch (e) {
      // Allow-Headers/-Methods, Expose-Headers, Max-Age computed at run time (`'…: ' . $origin`) do not
      // decide who may read the response: leave them out rather than give up on the whole answer.
      // Vary does decide (missing-vary-origin), so it stays unknown.
      if (!(e instanceof UnknownValueError) || h.name === 'vary') throw e;
      continue;
    }
    if (value !== '') headers.push({ name: h.name, value, loc: h.loc });
  }
  return { known: true, headers };
}
