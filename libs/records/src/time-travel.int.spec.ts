import { expect, test } from 'vitest';
import { testRecords, upgradeEvents } from '../test/support';
import { hostStream } from './catalog';

const { records, store, unique } = testRecords();
const { observed, staged, booted, committed } = upgradeEvents;
const before = (date: Date) => new Date(date.getTime() - 1);

test("hostStateAt folds a host's banks as they were at any past instant", async () => {
  const host = unique('esx-tt-');
  const stream = hostStream(host);
  const t1 = (await store.appendToStream(stream, [observed], { expectedVersion: 0, metadata: {} })).recordedAt;
  await new Promise((r) => setTimeout(r, 5));
  const t2 = (await store.appendToStream(stream, [staged], { expectedVersion: 1, metadata: {} })).recordedAt;
  await new Promise((r) => setTimeout(r, 5));
  const t3 = (await store.appendToStream(stream, [booted, committed], { expectedVersion: 2, metadata: {} })).recordedAt;

  expect((await records.hostStateAt(host, before(t1))).streamVersion).toBe(0);
  const atObserved = await records.hostStateAt(host, t1);
  expect(atObserved).toMatchObject({ streamVersion: 1, rollBack: { possible: true, toBuild: '8.0.1' } });
  const whileStaged = await records.hostStateAt(host, before(t3));
  expect(whileStaged.streamVersion).toBe(2);
  expect(whileStaged.banks.banks[1]).toMatchObject({ build: '8.0.3', bootstate: 'UPGRADING' });
  expect(whileStaged.rollBack.possible).toBe(false);
  expect(t2.getTime()).toBeLessThan(t3.getTime());
  const now = await records.hostStateAt(host, new Date());
  expect(now).toMatchObject({ streamVersion: 4, banks: { bootedBank: 1 }, rollBack: { possible: true, toBuild: '8.0.2' } });
});

test('hostHistory gives auditors every event with the banks after it', async () => {
  const host = unique('esx-hist-');
  await store.appendToStream(hostStream(host), [observed, staged, booted, committed], { expectedVersion: 0, metadata: { operator: 'bob' } });
  const history = await records.hostHistory(host);
  expect(history.map((h) => h.event.type)).toEqual(['BankStateObserved', 'ImageStaged', 'BankBooted', 'BankCommitted']);
  expect(history.map((h) => h.banksAfter.banks[1].bootstate)).toEqual(['VALID', 'UPGRADING', 'DIRTY', 'VALID']);
  expect(history[0]!.event.metadata.operator).toBe('bob');
});
