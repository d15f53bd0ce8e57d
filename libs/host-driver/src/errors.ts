// Typed driver errors. Each one names the host and its address, and says what an
// operator (or the engine) can do about it; the engine decides retries by class.

export interface HostRef {
  readonly id: string;
  readonly name: string;
  readonly address: string;
}

export abstract class HostDriverError extends Error {
  readonly hostId: string;
  readonly address: string;
  readonly operation: string;

  constructor(host: HostRef, operation: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hostId = host.id;
    this.address = host.address;
    this.operation = operation;
  }
}

export type UnreachableReason = 'refused' | 'timeout' | 'reset' | 'network';

/** No answer: connection refused, reset, or no answer in time. Often transient (reboot). */
export class HostUnreachableError extends HostDriverError {
  readonly reason: UnreachableReason;

  constructor(host: HostRef, operation: string, reason: UnreachableReason, detail: string, options?: { cause?: unknown }) {
    super(
      host,
      operation,
      `host ${host.id} (${host.name}) at ${host.address} is unreachable during ${operation}: ${detail}. ` +
        'If it is rebooting, wait and retry; if it stays down, check its console or power-cycle it.',
      options,
    );
    this.reason = reason;
  }
}

/** The address answered, but as another host: the inventory is wrong or addresses were reused. */
export class HostIdentityMismatchError extends HostDriverError {
  readonly actualHostId: string;

  constructor(host: HostRef, operation: string, actualHostId: string) {
    super(
      host,
      operation,
      `address ${host.address} answered ${operation} as host ${actualHostId}, expected ${host.id} (${host.name}). ` +
        'Nothing was changed on purpose, but do not act on this host until the inventory is fixed.',
    );
    this.actualHostId = actualHostId;
  }
}

/** The host answered something that does not match the agent API. */
export class MalformedHostResponseError extends HostDriverError {
  readonly status: number;
  readonly issues: string[];

  constructor(host: HostRef, operation: string, status: number, issues: string[]) {
    super(
      host,
      operation,
      `host ${host.id} at ${host.address} gave a malformed answer to ${operation} (HTTP ${status}): ${issues.join('; ')}. ` +
        'Check that the address points at a Bankswitch host agent of a compatible version.',
    );
    this.status = status;
    this.issues = issues;
  }
}

/** The host understood and said no (4xx), with its reason. Retrying as is will not help. */
export class HostRefusedError extends HostDriverError {
  readonly status: number;
  readonly code: string;
  readonly reason: string;

  constructor(host: HostRef, operation: string, status: number, code: string, reason: string) {
    super(host, operation, `host ${host.id} (${host.name}) refused ${operation} (HTTP ${status} ${code}): ${reason}`);
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

/** The agent failed while handling the call (5xx). The host state may need a fresh look. */
export class HostFailedError extends HostDriverError {
  readonly status: number;

  constructor(host: HostRef, operation: string, status: number, detail: string) {
    super(
      host,
      operation,
      `host ${host.id} (${host.name}) failed during ${operation} (HTTP ${status}): ${detail}. Read its state before retrying.`,
    );
    this.status = status;
  }
}
