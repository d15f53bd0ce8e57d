// Cut the hosts to upgrade into the canary (wave 0) and the declared waves.
// Sizes: counts as written, percentages of the hosts to upgrade rounded up; a wave never
// takes more than remains; the last declared wave takes whatever remains.
import type { SpecError } from '../spec/errors';
import { formatQuantity, resolveQuantity } from '../spec/quantity';
import type { CampaignStrategy } from '../spec/types';
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
