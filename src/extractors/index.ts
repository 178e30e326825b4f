import type { Extractor } from '../model/index.js';

/** Every framework adapter, in the order they are tried on a file (a file may feed several). */
export const extractors: Extractor[] = [];
