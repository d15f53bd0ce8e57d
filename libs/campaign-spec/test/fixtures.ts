import { validateCampaignSpec, type CampaignSpec, type InventoryHost } from '../src/index';

export const SHA = 'ab'.repeat(32);
export const TARGET = '8.0.3-0.0.24022510';
export const OLD = '8.0.2-0.0.22380479';
export const OLDER = '8.0.1-0.0.21495797';

/** A valid spec with the given overrides (shallow, per section). */
export function spec(overrides: Record<string, unknown> = {}): CampaignSpec {
  const result = validateCampaignSpec({
    name: 'esxi-803',
    target: { build: TARGET, payload: '/images/esxi-803.zip', sha256: SHA },
    hosts: { clusters: ['a', 'b'] },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

/** `count` hosts per cluster: a-01.., b-01.., with ids "id-a-01". */
export function fleet(clusters: Record<string, number>, labels: (name: string) => Record<string, string> = () => ({})): InventoryHost[] {
  return Object.entries(clusters).flatMap(([cluster, count]) =>
    Array.from({ length: count }, (_, i) => {
      const name = `${cluster}-${String(i + 1).padStart(2, '0')}`;
      return { id: `id-${name}`, name, cluster, labels: labels(name) };
    }),
  );
}
