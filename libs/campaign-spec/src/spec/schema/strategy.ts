import { z } from 'zod';
import type { CampaignMaintenance, CampaignStrategy, CampaignTimeouts, RampUp, WavePause } from '../types';
import { DURATION_PATTERN, parseDuration } from '../duration';
import { atMost, atMostEntries, SPEC_LIMITS } from './limits';
import { duration, positiveInt, quantity } from './primitives';

const pause = z
  .string({ error: 'expected "none", "manual" or a duration like "5m"' })
  .max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token))
  .meta({ pattern: `^(none|manual)$|${DURATION_PATTERN}` })
  .transform((text, ctx): WavePause => {
    if (text === 'none' || text === 'manual') return { kind: text };
    const ms = parseDuration(text);
    if (ms === undefined || ms === 0) {
      ctx.issues.push({ code: 'custom', message: `"${text}" is not "none", "manual" or a duration like "5m"`, input: text });
      return z.NEVER;
    }
    return { kind: 'timed', ms };
  });

const timeouts = z
  .strictObject({
    stage: duration().prefault('30m').describe('Writing the image into the inactive bank'),
    reboot: duration().prefault('20m').describe('Waiting for the host to come back after the reboot'),
    verify: duration().prefault('10m').describe('Bank/build checks plus the health checks'),
    barrier: duration()
      .prefault('1h')
      .describe('With commit: wave or campaign, how long a barrier holds verified hosts uncommitted, from the first host reaching it; then every host waiting there rolls back'),
  })
  .transform((t): CampaignTimeouts => ({ stageMs: t.stage, rebootMs: t.reboot, verifyMs: t.verify, barrierMs: t.barrier }));

const maintenance = z
  .strictObject({
    timeout: duration().prefault('30m').describe("Evacuating the host's VMs; a host that does not enter maintenance mode in time is left untouched"),
    vsanMode: z
      .enum(['ensureObjectAccessibility', 'evacuateAllData', 'noAction'])
      .default('ensureObjectAccessibility')
      .describe('For hosts in a vSAN cluster: what happens to the vSAN data on the host'),
  })
  .transform((m): CampaignMaintenance => ({ timeoutMs: m.timeout, vsanMode: m.vsanMode }));

const rampUp = z
  .strictObject({
    start: positiveInt().default(1).describe('Hosts in the first wave after the canary, and in the wave after any wave with a failure'),
    factor: z
      .number({ error: 'expected a number like 2' })
      .gt(1, { error: 'must be more than 1 (each wave grows by this factor)' })
      .max(100, { error: 'at most 100' })
      .default(2)
      .describe('Each next wave is this many times the last while the last had no failure (rounded up)'),
    max: positiveInt().describe('No wave is larger than this many hosts'),
  })
  .superRefine((r, ctx) => {
    if (r.max < r.start) ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least start (${r.start})`, input: r.max });
  })
  .transform((r): RampUp => r)
  .describe('Success-driven waves instead of fixed waves: start, then factor × the last wave while it had no failure (capped at max); after a failure, back to start');

const waves = z
  .array(quantity(1))
  .min(1, { error: 'list at least one wave, e.g. ["100%"]' })
  .max(SPEC_LIMITS.waves, atMostEntries(SPEC_LIMITS.waves))
  .describe('Size of each wave after the canary; percentages are of the hosts to upgrade; the last wave takes whatever remains (default ["100%"]); not with rampUp');

export const strategySchema = z
  .strictObject({
    canary: quantity(1).prefault(1).describe('Wave 0: hosts upgraded alone first'),
    waves: waves.optional(),
    rampUp: rampUp.optional(),
    maxInFlight: positiveInt().default(1).describe('Hosts upgrading at the same time'),
    maxPerCluster: positiveInt()
      .optional()
      .transform((n) => n ?? null)
      .describe('Hosts of one cluster upgrading at the same time'),
    failureBudget: quantity(0).prefault(0).describe('Failed hosts tolerated; one more halts the campaign'),
    pauseBetweenWaves: pause.prefault('manual').describe('"none", "manual" (wait for approval) or a duration'),
    timeouts: timeouts.prefault({}),
    maintenance: maintenance.prefault({}).describe('Each host enters maintenance mode before it is staged and rebooted, and leaves it once it is decided'),
  })
  .superRefine((s, ctx) => {
    if (s.rampUp && s.waves) ctx.addIssue({ code: 'custom', path: ['waves'], message: 'rampUp sizes the waves as the campaign goes: give waves or rampUp, not both', input: s.waves });
  })
  .transform(({ waves, rampUp, ...rest }): CampaignStrategy => ({ ...rest, waves: waves ?? [{ kind: 'percent', percent: 100 }], rampUp: rampUp ?? null }))
  .describe('How the campaign rolls through the selected hosts');
