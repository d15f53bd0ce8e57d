// Real agent processes, driven only through the HostDriver (and the fleet's admin hands).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostRefusedError,
  HostUnreachableError,
  createHostDriver,
  type HostDriver,
  type HostState,
} from '@bankswitch/host-driver';
import { launchFleet, type Fleet } from '../../../tools/src/fleet/index';
import { cfgValue } from './boot-cfg-text';

const OLD = '8.0.3-0.0.24022510';
const NEW = '8.0.3-0.0.24280767';
const BAD = '8.0.3-0.0.99999999';

const image = (build: string) => {
  const payload = Buffer.from(`ESXi image ${build}\n`.repeat(2048));
  return { build, payload, sha256: createHash('sha256').update(payload).digest('hex') };
};
const bootstate = (state: HostState, bank: 0 | 1) => cfgValue(state.banks[bank].bootCfg, 'bootstate');

let fleet: Fleet;
let dir: string;
const drivers = new Map<string, HostDriver>();
const driver = (id: string) => drivers.get(id)!;

/** stage → reboot → wait for the next boot; returns the state it came up in. */
async function upgrade(host: HostDriver, build: string): Promise<HostState> {
  const before = await host.getState();
  await host.stageImage(image(build));
  await host.reboot();
  return host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-agent-e2e-'));
  fleet = await launchFleet({ dir, clusters: [{ name: 'e', hosts: 9 }], hostsPerProcess: 4, rebootMs: 150, baseBuild: OLD });
  for (const host of fleet.inventory) drivers.set(host.id, createHostDriver(host));
});

afterAll(async () => {
  await fleet?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('simulated ESXi host, through the HTTP driver', () => {
  it('starts installed: build in bank 0 VALID, bank 1 empty, inventory written', async () => {
    const state = await driver('e-esx01').getState();
    expect(state).toMatchObject({ hostId: 'e-esx01', name: 'esx01.e.sim.local', bootedBank: 0, runningBuild: OLD, incompleteStage: null });
    expect(bootstate(state, 0)).toBe('0');
    expect(state.banks[1]).toEqual({ bank: 1, bootCfg: null, imageSha256: null });
    const inventory = JSON.parse(fs.readFileSync(fleet.inventoryPath, 'utf8')) as unknown[];
    expect(inventory).toHaveLength(9);
    expect(inventory[0]).toMatchObject({ id: 'e-esx01', cluster: 'e', driver: 'http', address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
  });

  it("hosts of one agent process answer each as itself, and one's reboot leaves its neighbours up", async () => {
    // e-esx05..08 share the second agent process (4 per process) and its one host API.
    const neighbours = ['e-esx05', 'e-esx06', 'e-esx07', 'e-esx08'];
    const states = await Promise.all(neighbours.map((id) => driver(id).getState()));
    expect(states.map((s) => s.hostId)).toEqual(neighbours);
    expect(new Set(fleet.inventory.filter((h) => neighbours.includes(h.id)).map((h) => h.address)).size).toBe(4);

    const rebooting = driver('e-esx06');
    const before = states[1]!;
    await rebooting.reboot();
    await expect(rebooting.getState({ timeoutMs: 500 })).rejects.toMatchObject({ name: 'HostUnreachableError' });
    for (const id of ['e-esx05', 'e-esx07', 'e-esx08']) await expect(driver(id).getState()).resolves.toMatchObject({ hostId: id });
    const after = await rebooting.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ hostId: 'e-esx06', bootedBank: 0, runningBuild: OLD });
  });

  it('stages into the alternate bank, reboots into it, and commits it VALID', async () => {
    const host = driver('e-esx01');
    const before = await host.getState();
    const staged = await host.stageImage(image(NEW));
    expect(staged).toMatchObject({ bank: 1, build: NEW, updated: 2 });
    expect(cfgValue(staged.bootCfg, 'bootstate')).toBe('1');

    const accepted = await host.reboot();
    expect(accepted.previousBootId).toBe(before.bootId);
    // The listener is closing or closed: a connection is reset or refused, never answered.
    await expect(host.getState({ timeoutMs: 500 })).rejects.toMatchObject({ name: 'HostUnreachableError', reason: expect.stringMatching(/^(refused|reset)$/) });

    const after = await host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ bootedBank: 1, runningBuild: NEW });
    expect(bootstate(after, 1)).toBe('2'); // DIRTY until the engine commits
    expect(after.banks[0]).toEqual(before.banks[0]); // the old bank is untouched

    await expect(host.commit({ bank: 0 })).rejects.toMatchObject({ name: 'HostRefusedError', code: 'bank-not-booted' });
    const committed = await host.commit({ bank: 1, build: NEW });
    expect(committed.changed).toBe(true);
    expect(bootstate(await host.getState(), 1)).toBe('0');
    expect((await host.commit()).changed).toBe(false);

    const log = await host.bootLog();
    expect(log.at(-1)).toMatchObject({ outcome: 'up', bank: 1, build: NEW, bootId: after.bootId });
    expect(log.at(-1)!.lines.join('\n')).toContain('updating boot state from 1 to 2');
  });

  it('falls back by itself when the new image panics (failBoot), and says why in the boot log', async () => {
    await fleet.admin.setBuildFaults(BAD, { failBoot: true });
    const host = driver('e-esx02');
    const after = await upgrade(host, BAD);
    expect(after).toMatchObject({ bootedBank: 0, runningBuild: OLD });
    expect(bootstate(after, 1)).toBe('3');
    const log = await host.bootLog({ limit: 3 });
    expect(log.map((entry) => entry.outcome)).toEqual(['up', 'panic', 'up']);
    expect(log[1]!.lines.join('\n')).toMatch(/BlueScreen.*failBoot/);
    // Nothing to roll back to: the new bank was given up on, the old one is running.
    await expect(host.rollBack()).rejects.toMatchObject({ name: 'HostRefusedError', code: 'no-alternate' });
  });

  it('reports a hung host as unreachable until it is power-cycled; it then falls back', async () => {
    await fleet.admin.setHostFaults('e-esx03', { hangOnBoot: true });
    const host = driver('e-esx03');
    const before = await host.getState();
    await host.stageImage(image(NEW));
    await host.reboot();
    const error = await host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostUnreachableError);
    expect((error as HostUnreachableError).message).toMatch(/e-esx03.*did not come back within 1500 ms/s);

    await fleet.admin.powerCycle('e-esx03');
    const after = await host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ bootedBank: 0, runningBuild: OLD });
    expect(bootstate(after, 1)).toBe('3');
    expect((await host.bootLog({ limit: 2 })).map((entry) => entry.outcome)).toEqual(['hang', 'up']);
  });

  it('reports failed health checks (failHealth) while the host is up', async () => {
    const host = driver('e-esx04');
    expect((await host.health()).ok).toBe(true);
    await fleet.admin.setHostFaults('e-esx04', { failHealth: true });
    const health = await host.health();
    expect(health.ok).toBe(false);
    expect(health.checks.find((check) => !check.ok)?.name).toBe('hostd');
    await fleet.admin.setHostFaults('e-esx04', {});
    expect((await host.health()).ok).toBe(true);
  });

  it('rolls back with Shift+R semantics: the new bank is invalidated, once only', async () => {
    const host = driver('e-esx05');
    const upgraded = await upgrade(host, NEW);
    await host.commit({ bank: 1 });
    const accepted = await host.rollBack();
    expect(accepted).toEqual({ previousBootId: upgraded.bootId, shiftR: true });
    const after = await host.waitUntilUp({ afterBootId: upgraded.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ bootedBank: 0, runningBuild: OLD });
    expect(bootstate(after, 1)).toBe('3');
    expect((await host.bootLog({ limit: 1 }))[0]!.lines.join('\n')).toContain('Rolling back (invalidating BANK1)');
    await expect(host.rollBack()).rejects.toBeInstanceOf(HostRefusedError);
  });

  it('rolls back from the console (admin Shift+R) too', async () => {
    const host = driver('e-esx06');
    const upgraded = await upgrade(host, NEW);
    await fleet.admin.shiftR('e-esx06');
    const after = await host.waitUntilUp({ afterBootId: upgraded.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ bootedBank: 0, runningBuild: OLD });
  });

  it('detects a half-written stage, refuses a wrong digest, and clears the mark with a new stage', async () => {
    const host = driver('e-esx08');
    await fleet.admin.setHostFaults('e-esx08', { crashMidStage: true });
    await expect(host.stageImage(image(NEW))).rejects.toMatchObject({ name: 'HostUnreachableError', reason: 'reset' });
    const torn = await host.getState();
    expect(torn.incompleteStage).toMatchObject({ bank: 1, build: NEW });
    expect(torn.banks[1].bootCfg).toBeNull(); // the bank never claimed the torn image

    const wrong = { ...image(NEW), sha256: image(BAD).sha256 };
    const refusal = await host.stageImage(wrong).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(HostRefusedError);
    expect(refusal).toMatchObject({ status: 422, code: 'digest-mismatch' });
    expect((await host.getState()).incompleteStage).toBeNull();
    expect((await host.getState()).banks[1].bootCfg).toBeNull();

    await fleet.admin.setHostFaults('e-esx08', { crashMidStage: true });
    await expect(host.stageImage(image(NEW))).rejects.toBeInstanceOf(HostUnreachableError);
    const staged = await host.stageImage(image(NEW)); // the fault fired once; this one completes
    expect(staged.imageSha256).toBe(image(NEW).sha256);
    const state = await host.getState();
    expect(state.incompleteStage).toBeNull();
    expect(state.banks[1].imageSha256).toBe(image(NEW).sha256);
  });

  it('abandons a staged, never-booted image: the bank becomes INVALID and the next reboot keeps the old image', async () => {
    const host = driver('e-esx09');
    await host.stageImage(image(NEW));
    const abandoned = await host.abandonStage();
    expect(abandoned).toEqual({ bank: 1, build: NEW, changed: true });
    expect(bootstate(await host.getState(), 1)).toBe('3');
    expect((await host.abandonStage()).changed).toBe(false);
    const before = await host.getState();
    await host.reboot();
    const after = await host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
    expect(after).toMatchObject({ bootedBank: 0, runningBuild: OLD });
  });

  it('drops connections on request (dropConnections next: N)', async () => {
    const host = driver('e-esx04');
    await fleet.admin.setHostFaults('e-esx04', { dropConnections: { next: 1 } });
    await expect(host.getState()).rejects.toMatchObject({ name: 'HostUnreachableError', reason: 'reset' });
    await expect(host.getState()).resolves.toMatchObject({ hostId: 'e-esx04' });
  });

  it('keeps its banks when its agent process is SIGKILLed and restarted (a power loss)', async () => {
    const host = driver('e-esx07');
    const before = await host.getState();
    await host.stageImage(image(NEW));
    const index = fleet.agentOf('e-esx07');
    const pid = fleet.agents[index]!.pid!;
    await fleet.killAgent(index);
    expect(() => process.kill(pid, 0)).toThrow();
    // Refused, or reset when the driver's kept-alive connection from the stage finds the
    // host gone before the client has seen it close (a race seen in CI): never answered.
    await expect(host.getState({ timeoutMs: 500 })).rejects.toMatchObject({ name: 'HostUnreachableError', reason: expect.stringMatching(/^(refused|reset)$/) });

    await fleet.restartAgent(index);
    const after = await host.getState();
    expect(after.bootId).not.toBe(before.bootId);
    // Power came back: the loader found the staged (UPGRADING) bank and booted it, same port.
    expect(after).toMatchObject({ bootedBank: 1, runningBuild: NEW });
    expect(after.banks[0]).toEqual(before.banks[0]);
    await host.commit({ bank: 1 });
    // Hosts of the same agent kept their state too (e-esx05 was rolled back before).
    expect(await driver('e-esx05').getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD });
  });
});

describe('a fleet on ports of its own (portBase)', () => {
  it('puts the n-th host on portBase + n, and it comes back on that port after a reboot', async () => {
    // Below the kernel's ephemeral range, where no outgoing connection takes a rebooting host's port.
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-agent-ports-'));
    const own = await launchFleet({ dir: ownDir, clusters: [{ name: 'p', hosts: 3 }], hostsPerProcess: 2, rebootMs: 100, baseBuild: OLD, portBase: base });
    try {
      expect(own.inventory.map((h) => h.address)).toEqual([0, 1, 2].map((n) => `http://127.0.0.1:${base + n}`));
      const host = createHostDriver(own.inventory[2]!);
      const before = await host.getState();
      await host.reboot();
      const after = await host.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 });
      expect(after.hostId).toBe('p-esx03');
    } finally {
      await own.stop();
      fs.rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it('refuses a base whose range would pass port 65535, saying which bases fit', async () => {
    await expect(launchFleet({ dir: os.tmpdir(), clusters: [{ name: 'p', hosts: 10 }], portBase: 65_530 })).rejects.toThrow('choose a base from 1024 up to 65526');
  });
});
