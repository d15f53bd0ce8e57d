// YAML text → plain object, syntax errors with line/column, and positions for paths.
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { SpecError } from './errors';

export interface SourceText {
  readonly value: unknown;
  readonly errors: readonly SpecError[];
  /** Line/column of the node at `path` (or its nearest existing parent). */
  readonly locate: (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;
}

// yaml appends " at line L, column C:" and a code excerpt; we keep line/column as fields.
const firstSentence = (message: string) => message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');

export function readYaml(text: string): SourceText {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const errors = doc.errors.map((error): SpecError => {
    const start = error.linePos?.[0];
    return { path: '', message: firstSentence(error.message), line: start?.line, column: start?.col };
  });
  const locate = (path: readonly PropertyKey[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
  return { value: errors.length > 0 ? undefined : doc.toJS(), errors, locate };
}
