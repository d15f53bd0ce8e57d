// Which service a front door names when one is away: the one that did not answer.
import { describe, expect, it } from 'vitest';
import { UnavailableError } from './errors';
import { translateInfrastructureError } from './unavailable';

describe('translateInfrastructureError', () => {
  it("names Temporal for Temporal's gRPC failure, though its text says ECONNREFUSED as PostgreSQL's does (it used to blame PostgreSQL)", () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:5998'), { code: 14 });
    const translated = translateInfrastructureError(grpc, 'postgresql://postgres:secret@127.0.0.1:5432/bankswitch');
    expect(translated).toBeInstanceOf(UnavailableError);
    expect((translated as Error).message).toMatch(/^Temporal did not answer .*check TEMPORAL_ADDRESS/);
  });

  it('names PostgreSQL, at its address and without its password, when the database is away', () => {
    const pg = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const translated = translateInfrastructureError(pg, 'postgresql://postgres:secret@127.0.0.1:5432/bankswitch') as Error;
    expect(translated.message).toBe('PostgreSQL at 127.0.0.1:5432 is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again');
    expect(translated.message).not.toContain('secret');
  });
});
