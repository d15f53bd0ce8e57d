// Cut the hosts to upgrade into the canary (wave 0) and the declared waves.
// Sizes: counts as written, percentages of the hosts to upgrade rounded up; a wave never
// takes more than remains; the last declared wave takes whatever remains.
import type { SpecError } from '../spec/errors';
import { formatQuantity, resolveQuantity } from '../spec/quantity';
import type { CampaignStrategy, RampUp } from '../spec/types';
import { compareHosts, interleaveByCluster } from './host-order';
import type { InventoryHost, PlannedWave, PlanWarning } from './types';

type Waves = { ok: true; waves: PlannedWave[]; warnings: PlanWarning[] } | { ok: false; errors: SpecError[] };

const plural = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

export function assignWaves(hosts: readonly InventoryHost[], strategy: CampaignStrategy): Waves {
  const total = hosts.length;
  const canarySize = resolveQuantity(strategy.canary, total, 'up');
  if (canarySize > total) {
    return { ok: false, errors: [{ path: 'strategy.canary', message: `a canary of ${plural(canarySize)} is larger than the ${plural(total)} to upgrade` }] };
  }
  const remaining = interleaveByCluster(hosts);
  const take = (count: number) => remaining.splice(0, count).sort(compareHosts).map((host) => host.id);

  const waves: PlannedWave[] = [{ index: 0, kind: 'canary', source: 'strategy.canary', hostIds: take(canarySize) }];
  const warnings: PlanWarning[] = [];
  if (strategy.rampUp) {
    // The waves as they would be with no failure: start, then factor × the last, at most max.
    let size = strategy.rampUp.start;
    while (remaining.length > 0) {
      waves.push({ index: waves.length, kind: 'wave', source: 'strategy.rampUp', hostIds: take(Math.min(size, remaining.length)) });
      size = nextRampSize(size, strategy.rampUp);
    }
    return { ok: true, waves, warnings };
  }
  const lastIndex = strategy.waves.length - 1;
  strategy.waves.forEach((quantity, i) => {
    const source = `strategy.waves[${i}]`;
    const declared = resolveQuantity(quantity, total, 'up');
    if (remaining.length === 0) {
      warnings.push({ kind: 'waves-unused', message: `${source} (${formatQuantity(quantity)}) gets no hosts: earlier waves already cover all ${plural(total)}` });
      return;
    }
    if (i === lastIndex && declared < remaining.length) {
      warnings.push({
        kind: 'last-wave-grows',
        message: `${source} (${formatQuantity(quantity)} = ${plural(declared)}) is the last wave and takes the remaining ${plural(remaining.length)}; add waves to keep waves smaller`,
      });
    }
    const size = i === lastIndex ? remaining.length : Math.min(declared, remaining.length);
    waves.push({ index: waves.length, kind: 'wave', source, hostIds: take(size) });
  });
  return { ok: true, waves, warnings };
}

/** The wave after one of `size` hosts that had no failure: `factor` times it (rounded up), at most `max`. */
export const nextRampSize = (size: number, ramp: RampUp): number => Math.min(ramp.max, Math.ceil(size * ramp.factor));
