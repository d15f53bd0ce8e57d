// One SSH connection per host, reused across calls and opened again when it dropped (a
// reboot closes it). The host key is pinned: a host presenting another key gets nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { HostAuthenticationError, HostKeyMismatchError, HostUnreachableError, type HostRef } from '../errors';
import type { SshConnection } from '../host-driver';

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** null: the channel closed without an exit status (the host went down, e.g. rebooting). */
  readonly code: number | null;
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints a key's fingerprint. */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

export class SshSession {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;

  constructor(
    private readonly host: HostRef,
    private readonly connection: SshConnection,
    private readonly endpoint: { hostname: string; port: number },
  ) {}

  /** Runs one command (POSIX sh on the host), with `stdin` written to it; bounded by `timeoutMs`. */
  async exec(operation: string, command: string, options: { stdin?: Uint8Array; timeoutMs: number }): Promise<ExecResult> {
    const client = await this.connect(operation, options.timeoutMs);
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop();
        reject(new HostUnreachableError(this.host, operation, 'timeout', `no answer to "${command.split(' ').slice(0, 3).join(' ')}…" within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      const done = (result: ExecResult | Error) => {
        clearTimeout(timer);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      client.exec(command, (error, channel: ClientChannel) => {
        if (error) {
          this.drop();
          return done(new HostUnreachableError(this.host, operation, 'reset', `the SSH channel could not be opened: ${error.message}`, { cause: error }));
        }
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let code: number | null = null;
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('exit', (exitCode: number | null) => (code = typeof exitCode === 'number' ? exitCode : null));
        channel.on('close', () => done({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
        if (options.stdin) channel.end(Buffer.from(options.stdin));
        else channel.end();
      });
    });
  }

  close(): void {
    this.drop();
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    client?.end();
  }

  private connect(operation: string, timeoutMs: number): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let presented: string | undefined;
      const fail = (error: Error) => {
        this.connecting = undefined;
        client.end();
        reject(error);
      };
      client.on('ready', () => {
        // Commands are small request/answer exchanges: Nagle's delay would add ~40 ms to each.
        client.setNoDelay(true);
        this.client = client;
        this.connecting = undefined;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        if (presented && presented !== this.connection.hostKey) return fail(new HostKeyMismatchError(this.host, operation, this.connection.hostKey, presented));
        if (error.level === 'client-authentication') return fail(new HostAuthenticationError(this.host, operation, error.message));
        const reason = error.code === 'ECONNREFUSED' ? 'refused' : error.level === 'client-timeout' ? 'timeout' : error.code === 'ECONNRESET' ? 'reset' : 'network';
        fail(new HostUnreachableError(this.host, operation, reason, error.message, { cause: error }));
      });
      // A reboot (or anything else) closes the connection: the next call opens a new one.
      client.on('close', () => {
        if (this.client === client) this.client = undefined;
      });
      let config: ConnectConfig;
      try {
        const login = credentials(this.connection);
        if (login.password !== undefined) {
          const password = login.password;
          client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)));
        }
        config = {
          host: this.endpoint.hostname,
          port: this.endpoint.port,
          username: this.connection.user,
          readyTimeout: timeoutMs,
          keepaliveInterval: 10_000,
          // ESXi 7 and 8 make an ECDSA P-256 and an RSA host key: prefer ECDSA, the key whose
          // fingerprint operators pin (ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub), over ssh2's Ed25519 first.
          algorithms: { serverHostKey: ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-ed25519'] },
          hostVerifier: (key: Buffer) => {
            presented = fingerprintOf(key);
            return presented === this.connection.hostKey;
          },
          ...login.config,
        };
        // ssh2 throws here for a key it cannot use (one with a passphrase, say).
        client.connect(config);
      } catch (error) {
        return fail(new HostAuthenticationError(this.host, operation, `${(error as Error).message}; the key file must be an unencrypted OpenSSH or PEM private key, readable only by the worker's user`));
      }
    });
    return this.connecting;
  }
}

/** The credentials where the inventory points: a key file, or a password in an environment variable or a file. */
function credentials(connection: SshConnection): { config: Partial<ConnectConfig>; password?: string } {
  if (connection.keyFile) return { config: { privateKey: fs.readFileSync(connection.keyFile) } };
  const password = connection.passwordEnv
    ? process.env[connection.passwordEnv]
    : connection.passwordFile
      ? fs.readFileSync(connection.passwordFile, 'utf8').trim()
      : undefined;
  if (password === undefined) {
    throw new Error(connection.passwordEnv ? `the environment variable ${connection.passwordEnv} is not set` : 'the inventory names no key file and no password');
  }
  // ESXi asks for passwords by keyboard-interactive.
  return { config: { password, tryKeyboard: true }, password };
}
