// Bearer tokens: created with `bankswitch tokens create --name … --role operator|auditor`
// and stored hashed (libs/app tokens.ts). Operators may act; auditors may only read. The
// token's name is the operator recorded in event metadata.
import type { Principal } from '@bankswitch/app';

export type { Principal, Role } from '@bankswitch/app';

/** Who a bearer token speaks for; undefined for an unknown or revoked token. */
export type Authenticate = (token: string) => Promise<Principal | undefined>;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Slows down guessing: after a failed sign-in from an address, its next answers wait
 * 2^(failures-1) × 100 ms (at most 5 s) before saying 401; a success clears the count.
 * Counts live in memory per API process and are forgotten after 15 minutes of quiet.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly options: { baseMs: number; maxMs: number; forgetAfterMs: number; maxTracked: number } = { baseMs: 100, maxMs: 5_000, forgetAfterMs: 15 * 60_000, maxTracked: 10_000 },
  ) {}

  /** How long to hold the 401 for this address, counting this failure. */
  failed(address: string, now = Date.now()): number {
    const seen = this.failures.get(address);
    const count = seen && now - seen.last < this.options.forgetAfterMs ? seen.count + 1 : 1;
    this.failures.delete(address);
    this.failures.set(address, { count, last: now });
    // Oldest first in a Map: drop the quietest addresses so that a flood cannot grow it.
    while (this.failures.size > this.options.maxTracked) this.failures.delete(this.failures.keys().next().value!);
    return Math.min(this.options.baseMs * 2 ** (count - 1), this.options.maxMs);
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}
