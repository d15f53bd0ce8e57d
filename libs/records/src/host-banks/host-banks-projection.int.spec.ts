import { expect, test } from 'vitest';
import { testRecords, upgradeEvents } from '../../test/support';
import { hostStream } from '../catalog';

const { records, store, unique } = testRecords();
const { observed, staged, booted, committed } = upgradeEvents;

test('host_banks follows each host stream: banks, rollback target, last campaign, version', async () => {
  const host = unique('esx-proj-');
  await store.appendToStream(hostStream(host), [observed], { expectedVersion: 0, metadata: { operator: 'inventory' } });
  await store.appendToStream(hostStream(host), [staged, booted, committed], { expectedVersion: 1, metadata: { campaignId: 'camp-7' } });
  // Several projectors at once: the lock makes each event apply exactly once.
  await Promise.all([store.projections.catchUp(), store.projections.catchUp(), store.projections.catchUp()]);
  expect(await records.hostBanks(host)).toMatchObject({
    hostId: host,
    bootedBank: 1,
    bank0Build: '8.0.2',
    bank0State: 'VALID',
    bank1Build: '8.0.3',
    bank1Updated: 3,
    bank1State: 'VALID',
    canRollBack: true,
    rollbackBank: 0,
    rollbackBuild: '8.0.2',
    lastCampaignId: 'camp-7',
    streamVersion: 4,
  });
});

test('a rebuild from the log equals the live projection', async () => {
  const prefix = unique('esx-rebuild-');
  const hosts = Array.from({ length: 6 }, (_, i) => `${prefix}${i}`);
  await Promise.all(hosts.map((h) => store.appendToStream(hostStream(h), [observed, staged], { expectedVersion: 0, metadata: { campaignId: 'c1' } })));
  await store.projections.catchUp();
  // Half of them finish the upgrade after the projector has already seen the first part.
  await Promise.all(hosts.slice(0, 3).map((h) => store.appendToStream(hostStream(h), [booted, committed], { expectedVersion: 2, metadata: { campaignId: 'c2' } })));
  const projector = store.projections.start({ pollIntervalMs: 10 });
  await new Promise((r) => setTimeout(r, 200));
  await projector.stop();
  await store.projections.catchUp();
  const live = await records.listHostBanks(prefix);
  expect(live).toHaveLength(6);
  expect(live.filter((r) => r.canRollBack)).toHaveLength(3);
  const rebuilt = await store.projections.rebuild();
  expect(rebuilt).toBeGreaterThanOrEqual(18);
  expect(await records.listHostBanks(prefix)).toEqual(live);
  // And the live projector continues from the rebuild's checkpoint without re-applying anything.
  expect(await store.projections.catchUp()).toBe(0);
});
