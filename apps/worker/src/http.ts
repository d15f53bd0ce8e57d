// The worker's own small HTTP server, for the machine that runs it (a load balancer, an
// orchestrator, Prometheus): /healthz (the process answers), /readyz (it can do its work)
// and /metrics. Nothing here changes anything, and nothing needs a token: serve it on a
// management address (BANKSWITCH_WORKER_HTTP_HOST), not to the world.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReadyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface WorkerHttpOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The Prometheus text of /metrics. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** What /readyz checks, each ok or not with why. */
  readiness(): Promise<readonly ReadyCheck[]>;
}

export interface WorkerHttp {
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(body)}\n`);
};

export async function startWorkerHttp(options: WorkerHttpOptions): Promise<WorkerHttp> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { error: 'method-not-allowed', message: 'only GET is served here' });
    const answer = async () => {
      switch (path) {
        case '/healthz':
          return json(response, 200, { ok: true });
        case '/readyz': {
          const checks = await options.readiness();
          const failing = checks.filter((c) => !c.ok);
          if (failing.length === 0) return json(response, 200, { ready: true, checks });
          return json(response, 503, { ready: false, reason: failing.map((c) => `${c.name}: ${c.detail ?? 'not ready'}`).join('; '), checks });
        }
        case '/metrics': {
          const { contentType, body } = await options.metrics();
          response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          return response.end(body);
        }
        default:
          return json(response, 404, { error: 'not-found', message: `no ${path} here: the worker serves /healthz, /readyz and /metrics` });
      }
    };
    answer().catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: 'internal', message: error instanceof Error ? error.message.split('\n')[0] : String(error) });
      else response.destroy();
    });
  });
  // A scraper's keep-alive connection must not hold the worker's exit up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
