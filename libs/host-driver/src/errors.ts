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

/** How a host's answer was coded: an HTTP status (the agent API), an exit status (a command over SSH), or none (0). */
function answerCode(status: number, code = ''): string {
  const transport = status >= 100 ? `HTTP ${status}` : status > 0 ? `exit ${status}` : '';
  return [transport, code].filter(Boolean).join(' ');
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

/**
 * The host's SSH key is not the one pinned in the inventory: another machine answers at
 * that address, or the host was reinstalled. Nothing was sent to it.
 */
export class HostKeyMismatchError extends HostDriverError {
  constructor(
    host: HostRef,
    operation: string,
    readonly pinned: string,
    readonly presented: string,
  ) {
    super(
      host,
      operation,
      `host ${host.id} (${host.name}) at ${host.address} presented SSH host key ${presented}, but the inventory pins ${pinned}: nothing was sent to it. ` +
        'If the host was reinstalled, check its key at the console (/usr/lib/vmware/openssh/bin/ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub) and import the inventory with the new fingerprint; otherwise another machine answers at that address.',
    );
  }
}

/** The host refused the credentials the inventory points at. */
export class HostAuthenticationError extends HostDriverError {
  constructor(host: HostRef, operation: string, detail: string) {
    super(host, operation, `host ${host.id} (${host.name}) at ${host.address} refused the login (${detail}): check the user and the key file or password the inventory points at`);
  }
}

/** The host answered something the driver cannot read (not the agent API, not ESXi's output). */
export class MalformedHostResponseError extends HostDriverError {
  readonly status: number;
  readonly issues: string[];

  constructor(host: HostRef, operation: string, status: number, issues: string[], hint = 'Check that the address points at a Bankswitch host agent of a compatible version.') {
    const code = answerCode(status);
    super(host, operation, `host ${host.id} at ${host.address} gave a malformed answer to ${operation}${code ? ` (${code})` : ''}: ${issues.join('; ')}. ${hint}`);
    this.status = status;
    this.issues = issues;
  }
}

/** The host understood and said no (HTTP 4xx, or an ESXi refusal), with its reason. Retrying as is will not help. */
export class HostRefusedError extends HostDriverError {
  readonly status: number;
  readonly code: string;
  readonly reason: string;

  constructor(host: HostRef, operation: string, status: number, code: string, reason: string) {
    super(host, operation, `host ${host.id} (${host.name}) refused ${operation} (${answerCode(status, code)}): ${reason}`);
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

/** The host failed while handling the call (HTTP 5xx, or a command that failed). The host state may need a fresh look. */
export class HostFailedError extends HostDriverError {
  readonly status: number;

  constructor(host: HostRef, operation: string, status: number, detail: string) {
    super(
      host,
      operation,
      `host ${host.id} (${host.name}) failed during ${operation}${status > 0 ? ` (${answerCode(status)})` : ''}: ${detail}. Read its state before retrying.`,
    );
    this.status = status;
  }
}
