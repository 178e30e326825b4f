/** A span in a source file. Lines and columns are 1-based; `file` is relative to the linted root's cwd, with `/`. */
export interface Loc {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locOf(file: string, line: number, column: number, endLine = line, endColumn = column): Loc {
  return { file, line, column, endLine, endColumn };
}

export function compareLoc(a: Loc, b: Loc): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
}
