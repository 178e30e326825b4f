import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Larger files are generated or data, not hand-written CORS config. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadOutcome = { kind: 'text'; text: string } | { kind: 'skipped'; reason: 'too-large' | 'binary' | 'unreadable' };

export function readSourceFile(absPath: string): ReadOutcome {
  let size: number;
  try {
    const st = statSync(absPath);
    if (!st.isFile()) return { kind: 'skipped', reason: 'unreadable' };
    size = st.size;
  } catch {
    return { kind: 'skipped', reason: 'unreadable' };
  }
  if (size > MAX_FILE_BYTES) return { kind: 'skipped', reason: 'too-large' };
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (buf.subarray(0, Math.min(off, 8000)).includes(0)) return { kind: 'skipped', reason: 'binary' };
    return { kind: 'text', text: buf.toString('utf8', 0, off) };
  } catch {
    return { kind: 'skipped', reason: 'unreadable' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
