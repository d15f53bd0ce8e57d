import type { CampaignSpec } from './types';
import { formatPath, type SpecError } from './errors';
import { issuesToProblems, type KeyedProblem } from './issues';
import { knownFieldNames } from './json-schema';
import { campaignSpecSchema } from './schema/campaign';

export type SpecResult = { readonly ok: true; readonly spec: CampaignSpec } | { readonly ok: false; readonly errors: readonly SpecError[] };

let fieldNames: readonly string[] | undefined;

/** Internal: validation with raw key paths, so that a source text can add line/column. */
export function checkSpec(input: unknown): { ok: true; spec: CampaignSpec } | { ok: false; problems: KeyedProblem[] } {
  const result = campaignSpecSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, spec: result.data };
  fieldNames ??= knownFieldNames();
  return { ok: false, problems: issuesToProblems(result.error.issues, fieldNames) };
}

/** Validate an already-parsed object; every problem is reported, each with its path. */
export function validateCampaignSpec(input: unknown): SpecResult {
  const result = checkSpec(input);
  if (result.ok) return result;
  return { ok: false, errors: result.problems.map((p) => ({ path: formatPath(p.keys), message: p.message })) };
}
