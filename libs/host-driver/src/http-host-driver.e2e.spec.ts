// The driver's errors, against a real agent process and against things that are not one.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFleet, type Fleet } from '../../../tools/src/fleet/index';
import { createHostDriver } from './create-host-driver';
import { HostIdentityMismatchError, HostRefusedError, HostUnreachableError, MalformedHostResponseError } from './errors';
import { HOST_ID_HEADER } from './wire';

let fleet: Fleet;
let dir: string;
const servers: (http.Server | net.Server)[] = [];

async function listen(server: http.Server | net.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function fakeAgent(status: number, body: string, headers: Record<string, string>): http.Server {
  return http.createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-driver-e2e-'));
  fleet = await launchFleet({ dir, clusters: [{ name: 'd', hosts: 2 }], rebootMs: 100 });
});

afterAll(async () => {
  await fleet?.stop();
  for (const server of servers) server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HttpHostDriver errors', () => {
  it('HostUnreachableError when nothing listens (refused), naming the host and address', async () => {
    const address = await closedPort();
    const driver = createHostDriver({ id: 'd-esx99', name: 'esx99.d.sim.local', address, driver: 'http' });
    const error = await driver.getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostUnreachableError);
    expect(error).toMatchObject({ reason: 'refused', hostId: 'd-esx99', address, operation: 'getState' });
    expect((error as Error).message).toContain(address);
  });

  it('HostUnreachableError when the host accepts but never answers (timeout)', async () => {
    const address = await listen(net.createServer(() => undefined));
    const driver = createHostDriver({ id: 'd-esx98', name: 'esx98', address, driver: 'http' });
    const started = Date.now();
    await expect(driver.health({ timeoutMs: 300 })).rejects.toMatchObject({ name: 'HostUnreachableError', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('HostIdentityMismatchError when the address answers as another host', async () => {
    const real = fleet.inventory[0]!;
    const driver = createHostDriver({ ...real, id: 'd-esx42', name: 'esx42.d.sim.local' });
    const error = await driver.getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostIdentityMismatchError);
    expect(error).toMatchObject({ hostId: 'd-esx42', actualHostId: real.id });
    // Every call checks, not only getState: a commit on the wrong host must not happen.
    await expect(driver.commit()).rejects.toBeInstanceOf(HostIdentityMismatchError);
  });

  it('MalformedHostResponseError for answers that do not match the API', async () => {
    const host = { id: 'd-esx97', name: 'esx97', driver: 'http' as const };
    const wrongShape = await listen(fakeAgent(200, JSON.stringify({ hostId: 'd-esx97', bootedBank: 7 }), { [HOST_ID_HEADER]: 'd-esx97' }));
    const error = await createHostDriver({ ...host, address: wrongShape }).getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedHostResponseError);
    expect((error as MalformedHostResponseError).issues.join('\n')).toMatch(/bootedBank/);

    const notJson = await listen(fakeAgent(200, '<html>hi</html>', { [HOST_ID_HEADER]: 'd-esx97' }));
    await expect(createHostDriver({ ...host, address: notJson }).health()).rejects.toBeInstanceOf(MalformedHostResponseError);

    const noHeader = await listen(fakeAgent(200, '{}', {}));
    await expect(createHostDriver({ ...host, address: noHeader }).health()).rejects.toThrow(/not a host agent/);
  });

  it('HostRefusedError with the agent reason for a 4xx', async () => {
    const driver = createHostDriver(fleet.inventory[1]!);
    const error = await driver.commit({ bank: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostRefusedError);
    expect(error).toMatchObject({ status: 409, code: 'bank-not-booted' });
    expect((error as Error).message).toContain('bank1 did not boot');
    await expect(driver.rollBack()).rejects.toMatchObject({ code: 'no-alternate' });
  });

  it('waitUntilUp returns the new boot after a reboot', async () => {
    const driver = createHostDriver(fleet.inventory[1]!);
    const before = await driver.getState();
    await driver.reboot();
    const after = await driver.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000, pollMs: 20 });
    expect(after.bootId).not.toBe(before.bootId);
    expect(after.runningBuild).toBe(before.runningBuild);
  });
});

describe('kept connections', () => {
  it('serves calls to one host over one kept connection', async () => {
    let connections = 0;
    const server = fakeAgent(200, JSON.stringify({ ok: true, checks: [] }), { [HOST_ID_HEADER]: 'd-esx96' });
    server.on('connection', () => connections++);
    const driver = createHostDriver({ id: 'd-esx96', name: 'esx96', address: await listen(server), driver: 'http' });
    for (let i = 0; i < 5; i++) expect(await driver.health()).toEqual({ ok: true, checks: [] });
    expect(connections).toBe(1);
    driver.close?.();
  });

  it('connects anew after the host closed its listener (a reboot, a power cycle from the console), with no error', async () => {
    const host = fleet.inventory[0]!;
    const driver = createHostDriver(host);
    const first = await driver.getState();
    await driver.health();
    await driver.reboot();
    const second = await driver.waitUntilUp({ afterBootId: first.bootId, timeoutMs: 10_000, pollMs: 20 });
    await driver.health();
    await fleet.admin.powerCycle(host.id);
    const third = await driver.waitUntilUp({ afterBootId: second.bootId, timeoutMs: 10_000, pollMs: 20 });
    expect(new Set([first.bootId, second.bootId, third.bootId]).size).toBe(3);
    expect((await driver.health()).ok).toBe(true);
    driver.close?.();
  });
});

describe('maintenance mode', () => {
  it('is entered once the VMs are evacuated, refused when evacuation takes too long or fails, kept across a reboot, and left', async () => {
    const host = fleet.inventory[1]!;
    const driver = createHostDriver(host);
    await fleet.admin.setHostFaults(host.id, { evacuationMs: 400 });
    const late = await driver.setMaintenanceMode({ enable: true, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(HostRefusedError);
    expect((late as HostRefusedError).code).toBe('maintenance-timeout');
    expect((await driver.getState()).maintenanceMode).toBe(false);

    await fleet.admin.setHostFaults(host.id, { failEvacuation: true });
    await expect(driver.setMaintenanceMode({ enable: true, timeoutMs: 1_000 })).rejects.toThrow(/migration of a running VM failed/);

    await fleet.admin.setHostFaults(host.id, { evacuationMs: 50 });
    expect(await driver.setMaintenanceMode({ enable: true, timeoutMs: 1_000 })).toEqual({ enabled: true, changed: true });
    expect(await driver.setMaintenanceMode({ enable: true, timeoutMs: 1_000 })).toEqual({ enabled: true, changed: false });
    const before = await driver.getState();
    await driver.reboot();
    expect(await driver.waitUntilUp({ afterBootId: before.bootId, timeoutMs: 10_000 })).toMatchObject({ maintenanceMode: true });
    expect(await driver.setMaintenanceMode({ enable: false })).toEqual({ enabled: false, changed: true });
    await fleet.admin.setHostFaults(host.id, {});
  });
});
