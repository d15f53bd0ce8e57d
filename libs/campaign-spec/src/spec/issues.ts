// zod issues → SpecErrors with messages written for operators.
import type { z } from 'zod';
import { closest } from './suggest';

const typeName = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

function message(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    // A schema-specific message (e.g. 'expected a duration like "30s"') beats the generic one.
    if (!issue.message.startsWith('Invalid input')) return `${issue.message}, got ${typeName(issue.input)}`;
    const expected = issue.expected === 'object' ? 'a map of fields' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    return `expected ${expected}, got ${typeName(issue.input)}`;
  }
  return issue.message;
}

/** A problem at a key path, before the path is formatted (so that sources can locate it). */
export interface KeyedProblem {
  readonly keys: readonly PropertyKey[];
  readonly message: string;
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], knownFields: readonly string[]): KeyedProblem[] {
  return issues.flatMap((issue): KeyedProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const guess = closest(key, knownFields);
        return { keys: [...issue.path, key], message: `unknown field${guess ? ` (did you mean ${guess}?)` : ''}` };
      });
    }
    return [{ keys: issue.path, message: message(issue) }];
  });
}
