// The example spec that uses every policy (examples/every-policy.yaml, referenced from the
// README) is planned as operators would plan it, and its plan shows each policy. The file
// itself is read, so the example cannot rot away from the schema or the planner.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatPlan, formatSpecErrors, parseCampaignSpec, planCampaign, type HostBankState } from '../index';
import { fleet, OLD, TARGET } from '../../test/fixtures';

const text = readFileSync(fileURLToPath(new URL('../../examples/every-policy.yaml', import.meta.url)), 'utf8');

/**
 * Each policy field the example sets, and the lines of the plan that show it. A new
 * policy is one more row, and one more field in the example.
 */
const POLICIES: readonly { readonly field: string; readonly shown: readonly RegExp[] }[] = [
  { field: 'target.signature', shown: [/^Image signature: cA5hfh\+syHbT…, checked against the worker's trusted keys before anything is staged \(a bad one refuses the host, untouched\)\.$/m] },
  {
    field: 'target.allowDowngrade',
    shown: [/^Downgrade allowed: INC-4711: U3 breaks the lpfc driver; back to U2 \(recorded with each staged image\)\.$/m, new RegExp(`^  - prod-a-01: downgrade from ${TARGET} to ${OLD}, allowed: INC-4711: U3 breaks the lpfc driver; back to U2$`, 'm')],
  },
  { field: 'strategy.rampUp', shown: [/^Ramp-up: waves grow from 1 host by ×2 while the last wave had no failure, up to 50 hosts; after a wave with a failure the next drops back to 1 host\./m, /^Wave 2 \(2 hosts, if no wave before it fails\)$/m] },
  {
    field: 'windows',
    shown: [
      /^Window: opens at "0 22 \* \* 1-5" \(Europe\/Berlin\) for 6h; hosts start only inside a window, hosts in flight when it closes finish\.$/m,
      /^Next windows: 2026-12-01T21:00:00\.000Z – 2026-12-02T03:00:00\.000Z, 2026-12-02T21:00:00\.000Z – 2026-12-03T03:00:00\.000Z, /m,
    ],
  },
  {
    field: 'gates',
    shown: [
      /^Gate error-rate: sum\(rate\(vm_errors_total\[5m\]\)\) at http:\/\/prometheus:9090 must be < 0\.01 for 5m after the canary and after each wave before the next starts; else the campaign halts\.$/m,
      /^Gate ha-ready: min\(vsphere_ha_ready\) at http:\/\/prometheus:9090 must be == 1 for 2m .*; else the campaign pauses until an operator resumes\.$/m,
    ],
  },
  {
    field: 'approvals',
    shown: [/^Approval before the reboot: the canary wave's 1 host waits for an operator \(in flight, without a time limit\): prod-a-01\.$/m, /^Approval before the commit: all 4 hosts wait for an operator .*: prod-a-01, prod-b-01, prod-a-02, prod-b-02\.$/m],
  },
  {
    field: 'commit',
    shown: [/^Commit barrier \(commit: wave\): each wave's hosts verify, then wait with the new image booted but not committed;.* every one of them rolls back to its previous image\./m, /^ {2}wave 2 \(2 hosts\): prod-a-02, prod-b-02$/m],
  },
];

/** The value at a dotted path of the YAML as written (before defaults are filled in). */
const written = (document: unknown, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);

describe('examples/every-policy.yaml', () => {
  // Every host runs the newer build: the example's target is an allowed downgrade.
  const onNewer: HostBankState = { bootedBuild: TARGET, bootedBankCommitted: true, alternateBuild: OLD, alternateValid: true };
  const hosts = fleet({ 'prod-a': 2, 'prod-b': 2 });
  const parsed = parseCampaignSpec(text, 'yaml');
  // A Tuesday noon: the next window opens at 22:00 in Berlin (21:00 UTC).
  const planned = parsed.ok ? planCampaign(parsed.spec, hosts, new Map(hosts.map((h) => [h.id, onNewer])), Date.parse('2026-12-01T12:00:00Z')) : undefined;

  it('is a valid spec that plans against a fleet of its clusters', () => {
    expect(parsed.ok ? [] : formatSpecErrors(parsed.errors)).toEqual([]);
    expect(planned?.ok ? [] : planned && formatSpecErrors(planned.errors)).toEqual([]);
  });

  it.each(POLICIES)('sets $field, and the plan shows it', ({ field, shown }) => {
    expect(written(parse(text), field)).toBeDefined();
    const plan = planned?.ok ? formatPlan(planned.plan) : '';
    for (const line of shown) expect(plan).toMatch(line);
  });
});
