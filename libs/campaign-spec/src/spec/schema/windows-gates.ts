import { z } from 'zod';
import type { CampaignGate, GateExpectation, MaintenanceWindow } from '../types';
import { cronProblem } from '../windows';
import { atMost, atMostEntries, SPEC_LIMITS } from './limits';
import { duration, slug } from './primitives';

const window = z
  .strictObject({
    cron: z.string({ error: 'expected a cron pattern like "0 22 * * 1-5"' }).max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token)).describe('When each window opens (minute hour day month weekday; an optional seconds field first)'),
    duration: duration().describe('How long each window stays open, e.g. "6h"'),
    timezone: z.string().max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token)).default('UTC').describe('IANA timezone the cron pattern is read in, e.g. "Europe/Berlin" (default UTC)'),
  })
  .superRefine((w, ctx) => {
    const problem = cronProblem(w.cron, w.timezone);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message, input: w[problem.field] });
  })
  .transform((w): MaintenanceWindow => ({ cron: w.cron, durationMs: w.duration, timezone: w.timezone }));

export const windowsSchema = z
  .array(window)
  .min(1, { error: 'list at least one window (or leave the field out)' })
  .max(SPEC_LIMITS.windows, atMostEntries(SPEC_LIMITS.windows))
  .describe('Maintenance windows: hosts start only inside one; hosts in flight when it closes finish');

export const EXPECT_PATTERN = '^\\s*(<=|>=|==|!=|<|>)\\s*-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?\\s*$';

const expectation = z
  .string({ error: 'expected a comparison like "< 0.01"' })
  .max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token))
  .meta({ pattern: EXPECT_PATTERN })
  .transform((text, ctx): GateExpectation => {
    const parts = new RegExp(EXPECT_PATTERN).test(text) ? /^\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/.exec(text) : null;
    if (!parts) {
      ctx.issues.push({ code: 'custom', message: `"${text}" is not a comparison; write e.g. "< 0.01", ">= 0.99" or "== 0"`, input: text });
      return z.NEVER;
    }
    return { op: parts[1] as GateExpectation['op'], value: Number(parts[2]) };
  });

const url = z
  .string({ error: 'expected the URL of a Prometheus-compatible server, e.g. "http://prometheus:9090"' })
  .max(SPEC_LIMITS.payload, atMost(SPEC_LIMITS.payload))
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), { error: 'expected an http(s) URL, e.g. "http://prometheus:9090" (its /api/v1/query is asked)' });

const gate = z
  .strictObject({
    name: slug('gate name'),
    prometheus: z
      .strictObject({
        url,
        query: z.string({ error: 'expected a PromQL query' }).min(1, { error: 'give a PromQL query' }).max(SPEC_LIMITS.query, atMost(SPEC_LIMITS.query)),
      })
      .describe('Where the value comes from: an instant query against /api/v1/query; its first sample is compared'),
    expect: expectation.describe('What the value must satisfy, e.g. "< 0.01"'),
    for: duration().describe('How long the value must hold, sampled over this window after the wave, e.g. "5m"'),
    onFail: z.enum(['halt', 'pause'], { error: 'expected "halt" (no host starts any more) or "pause" (an operator resumes)' }).default('halt').describe('halt: no host starts any more; pause: an operator resumes'),
  })
  .transform((g): CampaignGate => ({ name: g.name, prometheus: g.prometheus, expect: g.expect, forMs: g.for, onFail: g.onFail }));

export const gatesSchema = z
  .array(gate)
  .min(1, { error: 'list at least one gate (or leave the field out)' })
  .max(SPEC_LIMITS.gates, atMostEntries(SPEC_LIMITS.gates))
  .superRefine((gates, ctx) => {
    const seen = new Set<string>();
    gates.forEach((g, index) => {
      if (seen.has(g.name)) ctx.addIssue({ code: 'custom', message: `"${g.name}" is listed twice`, path: [index, 'name'] });
      seen.add(g.name);
    });
  })
  .describe('Health gates checked after the canary and after each wave, before the next one starts');
