// The SSH side of a simulated ESXi host: its own host key, logins by key (the fleet's
// authorized key) or by keyboard-interactive password, as ESXi asks for it, and each
// `exec` answered by the ESXi shell (esxi-shell.ts). One server per boot, like the HTTP
// API: it closes while the host reboots, and every open connection with it.
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';
import { runShell } from './esxi-shell';
import type { SimHost } from './sim-host';

export interface SshAccess {
  /** The host's private key (OpenSSH format). */
  readonly hostKey: string;
  /** The public key allowed to log in as root (OpenSSH `authorized_keys` line). */
  readonly authorizedKey?: string;
  /** A root password, asked for by keyboard-interactive. */
  readonly password?: string;
}

export interface RunningSshServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startSshServer(host: SimHost, dir: string, access: SshAccess, port: number): Promise<RunningSshServer> {
  const parsed = access.authorizedKey ? ssh2.utils.parseKey(access.authorizedKey) : undefined;
  const allowed = parsed instanceof Error ? undefined : (parsed as ParsedKey | undefined);
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [access.hostKey], ident: 'OpenSSH_9.3 (simulated ESXi)' }, (client) => {
    clients.add(client);
    // Answers are small: without this, Nagle's delay adds ~40 ms to every command (ssh2 has it; its types do not).
    (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    client.on('close', () => clients.delete(client));
    client.on('error', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.username !== 'root') return ctx.reject();
      if (ctx.method === 'publickey' && allowed) {
        const presented = ctx.key.data;
        const expected = allowed.getPublicSSH();
        const same = ctx.key.algo === allowed.type && presented.length === expected.length && timingSafeEqual(presented, expected);
        if (!same) return ctx.reject();
        if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject();
        return ctx.accept();
      }
      if (ctx.method === 'keyboard-interactive' && access.password !== undefined) {
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (answers[0] === access.password ? ctx.accept() : ctx.reject()));
      }
      return ctx.reject(['publickey', 'keyboard-interactive']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const input: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => input.push(chunk));
          stream.on('end', () => {
            void runShell({ host, dir }, info.command, Buffer.concat(input)).then(
              (result) => {
                if (result.stdout) stream.write(result.stdout);
                if (result.stderr) stream.stderr.write(result.stderr);
                stream.exit(result.code);
                stream.end();
                result.after?.();
              },
              (error: unknown) => {
                stream.stderr.write(`sh: ${(error as Error).message}\n`);
                stream.exit(1);
                stream.end();
              },
            );
          });
        });
      });
    });
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (error) {
      // The port was this host's a moment ago (a reboot); give the kernel a moment.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
