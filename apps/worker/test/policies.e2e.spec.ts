// Campaign policies (issue 15) end to end, against the real stack: a worker that trusts one
// image-signing key (so every image must be signed by it), downgrade protection, and
// ramp-up waves that grow while they succeed and drop back after a failure.
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, OLD_BUILD, startHarness, testStrategy, type Harness, type TestImage } from './engine-harness';

const OLDER_BUILD = '8.0.1-0.0.21495797';
const release = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-keys-'));
const keyFile = path.join(keyDir, 'release.pem');
fs.writeFileSync(keyFile, release.publicKey.export({ type: 'spki', format: 'pem' }));

const signature = (image: TestImage, key = release.privateKey) => sign(null, Buffer.from(image.sha256, 'hex'), key).toString('base64');
const target = (image: TestImage, extra: Record<string, unknown> = {}) => ({ build: image.build, payload: image.path, sha256: image.sha256, ...extra });
const strategy = (extra: Record<string, unknown> = {}) => testStrategy({ failureBudget: 0, ...extra });

describe('campaign policies, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      clusters: [
        { name: 'pol-sign', hosts: 3 },
        { name: 'pol-down', hosts: 1 },
        { name: 'pol-ramp', hosts: 6 },
      ],
      faults: { hosts: { 'pol-ramp-esx04': { failBoot: true } } },
      rebootMs: 150,
      trustedImageKeyPaths: [keyFile],
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.stop();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('refuses unsigned and badly signed images before anything is written, and stages a signed one recording the key', async () => {
    const unsigned = await (await h.launch(h.campaign({ name: 'unsigned', target: target(h.image), hosts: { names: ['pol-sign-esx01'] }, strategy: strategy() }))).result();
    expect(unsigned.hosts[0]).toMatchObject({ status: 'untouched', cause: 'refused', reason: expect.stringContaining('(IMAGE_NOT_SIGNED): the image is not signed') });
    const forged = await (
      await h.launch(h.campaign({ name: 'forged', target: target(h.image, { signature: signature(h.image, stranger.privateKey) }), hosts: { names: ['pol-sign-esx02'] }, strategy: strategy() }))
    ).result();
    expect(forged.hosts[0]).toMatchObject({ status: 'untouched', cause: 'refused', reason: expect.stringContaining('(IMAGE_SIGNATURE_INVALID)') });
    for (const id of ['pol-sign-esx01', 'pol-sign-esx02']) {
      expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved', 'UpgradeEnded']);
      expect((await h.driver(id).getState()).runningBuild).toBe(OLD_BUILD);
    }

    const signed = await (await h.launch(h.campaign({ name: 'signed', target: target(h.image, { signature: signature(h.image) }), hosts: { names: ['pol-sign-esx03'] }, strategy: strategy() }))).result();
    expect(signed.hosts.map((x) => x.status)).toEqual(['upgraded']);
    const staged = (await h.store.readStream('host-pol-sign-esx03')).find((e) => e.type === 'ImageStaged');
    expect(staged?.data).toMatchObject({ build: h.image.build, signedBy: 'release.pem' });
  });

  it('refuses a downgrade unless the spec allows it, and records the reason with the staged image', async () => {
    const older = h.makeImage(OLDER_BUILD);
    const spec = (extra: Record<string, unknown>) => ({ target: target(older, { signature: signature(older), ...extra }), hosts: { names: ['pol-down-esx01'] }, strategy: strategy() });
    const refused = await (await h.launch(h.campaign({ name: 'downgrade-refused', ...spec({}) }))).result();
    expect(refused.hosts[0]).toMatchObject({ status: 'untouched', cause: 'refused', reason: expect.stringContaining(`(DOWNGRADE_NOT_ALLOWED): ${OLDER_BUILD} is older than the running ${OLD_BUILD}`) });
    expect(await eventTypes(h.store, 'host-pol-down-esx01')).toEqual(['BankStateObserved', 'UpgradeEnded']);

    const allowed = await (await h.launch(h.campaign({ name: 'downgrade-allowed', ...spec({ allowDowngrade: { reason: 'INC-42: back out U2' } }) }))).result();
    expect(allowed.hosts.map((x) => x.status)).toEqual(['upgraded']);
    expect((await h.driver('pol-down-esx01').getState()).runningBuild).toBe(OLDER_BUILD);
    const staged = (await h.store.readStream('host-pol-down-esx01')).find((e) => e.type === 'ImageStaged');
    expect(staged?.data).toMatchObject({ build: OLDER_BUILD, downgrade: { fromBuild: OLD_BUILD, reason: 'INC-42: back out U2' }, signedBy: 'release.pem' });
  });

  it('ramps waves up while they succeed and drops back to start after a failure', async () => {
    const input = h.campaign({
      name: 'ramp',
      target: target(h.image, { signature: signature(h.image) }),
      hosts: { clusters: ['pol-ramp'] },
      strategy: { ...strategy({ failureBudget: 2, maxInFlight: 4 }), waves: undefined, rampUp: { start: 1, factor: 2, max: 2 } },
    });
    expect(input.waves.map((w) => w.hostIds.length)).toEqual([1, 1, 2, 2]);
    const result = await (await h.launch(input)).result();
    expect(result.status).toBe('completed');
    const events = await h.store.readStream(`campaign-${input.campaignId}`);
    const waves = events.flatMap((e) => (e.type === 'WaveStarted' ? [{ hosts: e.data.hosts, why: e.data.rampUp }] : []));
    expect(waves).toEqual([
      { hosts: ['pol-ramp-esx01'], why: undefined },
      { hosts: ['pol-ramp-esx02'], why: 'ramp-up starts at 1 host' },
      { hosts: ['pol-ramp-esx03', 'pol-ramp-esx04'], why: '2 hosts: ×2 of wave 1 (1 host, no failure), at most 2' },
      { hosts: ['pol-ramp-esx05'], why: 'back to 1 host: wave 2 had 1 failure' },
      { hosts: ['pol-ramp-esx06'], why: '2 hosts: ×2 of wave 3 (1 host, no failure), at most 2; 1 host left' },
    ]);
    expect(result.hosts.find((x) => x.hostId === 'pol-ramp-esx04')?.status).toBe('fell-back');
    expect(result.hosts.filter((x) => x.status === 'upgraded')).toHaveLength(5);
  });
});
