import { describe, expect, it } from 'vitest';
import { createHostDriver } from './create-host-driver';
import { HostDriverError, HostIdentityMismatchError, HostRefusedError, HostUnreachableError } from './errors';
import { HttpHostDriver } from './http-host-driver';
import { hostStateSchema } from './wire';

const host = { id: 'a-esx01', name: 'esx01.a.sim.local', address: 'http://127.0.0.1:4100' };

describe('driver errors', () => {
  it('say which host, where, and what to do', () => {
    const error = new HostUnreachableError(host, 'reboot', 'refused', 'connection refused');
    expect(error).toBeInstanceOf(HostDriverError);
    expect(error.name).toBe('HostUnreachableError');
    expect(error.message).toContain('a-esx01');
    expect(error.message).toContain('http://127.0.0.1:4100');
    expect(error.message).toMatch(/wait and retry|power-cycle/);
    expect(error.reason).toBe('refused');
  });

  it('keep the facts for the engine', () => {
    const mismatch = new HostIdentityMismatchError(host, 'getState', 'b-esx07');
    expect(mismatch.actualHostId).toBe('b-esx07');
    expect(mismatch.message).toContain('expected a-esx01');
    const refused = new HostRefusedError(host, 'rollBack', 409, 'no-alternate', 'No alternate hypervisor to roll back to');
    expect([refused.status, refused.code, refused.hostId]).toEqual([409, 'no-alternate', 'a-esx01']);
  });
});

describe('createHostDriver', () => {
  it('maps driver "http" to the HTTP driver', () => {
    const driver = createHostDriver({ ...host, driver: 'http' });
    expect(driver).toBeInstanceOf(HttpHostDriver);
    expect(driver.host).toEqual(host);
  });
});

describe('wire schemas', () => {
  it('reject a state without both banks', () => {
    const state = {
      hostId: 'a',
      name: 'a',
      bootId: 'x',
      bootedAt: 'now',
      uptimeMs: 1,
      bootedBank: 0,
      runningBuild: 'b',
      banks: [{ bank: 0, bootCfg: 'bootstate=0', imageSha256: null }],
      incompleteStage: null,
    };
    expect(hostStateSchema.safeParse(state).success).toBe(false);
    expect(hostStateSchema.safeParse({ ...state, banks: [...state.banks, { bank: 1, bootCfg: null, imageSha256: null }] }).success).toBe(true);
  });
});
