import type { SpecResult } from './validate';
import { checkSpec } from './validate';
import { formatPath } from './errors';
import { readJson } from './json-source';
import { readYaml } from './yaml-source';

export type SpecFormat = 'yaml' | 'json';

/** JSON when the text starts with `{`, YAML otherwise (YAML would read JSON too, with vaguer errors). */
const detect = (text: string): SpecFormat => (text.trimStart().startsWith('{') ? 'json' : 'yaml');

/**
 * Parse and validate a spec file. Syntax errors stop there (a half-read document would
 * only produce misleading follow-up errors); otherwise every validation problem is
 * reported at once, with its path and, for YAML, its line and column.
 */
export function parseCampaignSpec(text: string, format: SpecFormat = detect(text)): SpecResult {
  const source = format === 'json' ? readJson(text) : readYaml(text);
  if (source.errors.length > 0) return { ok: false, errors: source.errors };
  const result = checkSpec(source.value);
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.problems.map((problem) => ({
      path: formatPath(problem.keys),
      message: problem.message,
      ...source.locate(problem.keys),
    })),
  };
}
