// JSON text → plain object; a syntax error reports line/column when the engine gives a position.
import type { SourceText } from './yaml-source';

function position(text: string, message: string): { line: number; column: number } | undefined {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /position (\d+)/.exec(message);
  if (!offset) return undefined;
  const before = text.slice(0, Number(offset[1])).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

export function readJson(text: string): SourceText {
  try {
    return { value: JSON.parse(text), errors: [], locate: () => undefined };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = position(text, message);
    const short = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    return { value: undefined, errors: [{ path: '', message: `invalid JSON: ${short}`, line: at?.line, column: at?.column }], locate: () => undefined };
  }
}
