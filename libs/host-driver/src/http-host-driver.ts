// HostDriver over the simulated agent's HTTP API (apps/host-agent).
import type { Agent } from 'node:http';
import type { z } from 'zod';
import {
  HostFailedError,
  HostIdentityMismatchError,
  HostRefusedError,
  HostUnreachableError,
  MalformedHostResponseError,
  type HostRef,
} from './errors';
import type { CallOptions, HostDriver, StageImageInput, WaitUntilUpOptions } from './host-driver';
import { HttpCallError, hostAgent, httpCall, type HttpCallInput } from './http-call';
import { waitUntilUp } from './wait-until-up';
import {
  HOST_ID_HEADER,
  abandonStageResultSchema,
  bootLogSchema,
  commitResultSchema,
  healthReportSchema,
  hostStateSchema,
  maintenanceModeResultSchema,
  rebootAcceptedSchema,
  refusalSchema,
  stageResultSchema,
  type AbandonStageResult,
  type BootLogEntry,
  type CommitRequest,
  type CommitResult,
  type HealthReport,
  type HostState,
  type MaintenanceModeRequest,
  type MaintenanceModeResult,
  type RebootAccepted,
  type StageResult,
} from './wire';

export interface HttpHostDriverOptions {
  /** Default total timeout per call. */
  readonly timeoutMs?: number;
  /** Default timeout for stageImage, which moves the image bytes. */
  readonly stageTimeoutMs?: number;
  /** false: a new connection per call (as before keep-alive); default: connections kept between calls. */
  readonly keepAlive?: boolean;
}

export class HttpHostDriver implements HostDriver {
  private readonly timeoutMs: number;
  private readonly stageTimeoutMs: number;
  /** This host's kept connections: a call does not pay a TCP connect (and the host an accept) each time. */
  private readonly agent: Agent | undefined;

  constructor(
    readonly host: HostRef,
    options: HttpHostDriverOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.stageTimeoutMs = options.stageTimeoutMs ?? 120_000;
    this.agent = options.keepAlive === false ? undefined : hostAgent();
  }

  /** Closes the kept connections (idle ones close by themselves after a few seconds anyway). */
  close(): void {
    this.agent?.destroy();
  }

  getState(options?: CallOptions): Promise<HostState> {
    return this.call('getState', { method: 'GET', path: '/state' }, hostStateSchema, options).then((state) => {
      if (state.hostId !== this.host.id) throw new HostIdentityMismatchError(this.host, 'getState', state.hostId);
      return state;
    });
  }

  stageImage(image: StageImageInput, options?: CallOptions): Promise<StageResult> {
    const query = new URLSearchParams({ build: image.build, sha256: image.sha256 });
    return this.call(
      'stageImage',
      {
        method: 'PUT',
        path: `/stage?${query.toString()}`,
        body: image.payload,
        headers: { 'content-type': 'application/octet-stream' },
      },
      stageResultSchema,
      { timeoutMs: options?.timeoutMs ?? this.stageTimeoutMs },
    );
  }

  reboot(options?: CallOptions): Promise<RebootAccepted> {
    return this.call('reboot', { method: 'POST', path: '/reboot', json: {} }, rebootAcceptedSchema, options);
  }

  commit(expect: CommitRequest = {}, options?: CallOptions): Promise<CommitResult> {
    return this.call('commit', { method: 'POST', path: '/commit', json: expect }, commitResultSchema, options);
  }

  abandonStage(options?: CallOptions): Promise<AbandonStageResult> {
    return this.call('abandonStage', { method: 'POST', path: '/abandon-stage', json: {} }, abandonStageResultSchema, options);
  }

  rollBack(options?: CallOptions): Promise<RebootAccepted> {
    return this.call('rollBack', { method: 'POST', path: '/rollback', json: {} }, rebootAcceptedSchema, options);
  }

  setMaintenanceMode(request: MaintenanceModeRequest, options?: CallOptions): Promise<MaintenanceModeResult> {
    // Entering waits for the evacuation: the call may take as long as the request allows.
    const timeoutMs = options?.timeoutMs ?? (request.enable ? (request.timeoutMs ?? 30 * 60_000) + this.timeoutMs : this.timeoutMs);
    return this.call('setMaintenanceMode', { method: 'POST', path: '/maintenance-mode', json: request }, maintenanceModeResultSchema, { timeoutMs });
  }

  health(options?: CallOptions): Promise<HealthReport> {
    return this.call('health', { method: 'GET', path: '/health' }, healthReportSchema, options);
  }

  async bootLog(options?: CallOptions & { limit?: number }): Promise<BootLogEntry[]> {
    const limit = options?.limit ?? 20;
    const answer = await this.call('bootLog', { method: 'GET', path: `/boot-log?limit=${limit}` }, bootLogSchema, options);
    return answer.boots;
  }

  waitUntilUp(options: WaitUntilUpOptions): Promise<HostState> {
    return waitUntilUp(this, options, this.timeoutMs);
  }

  private async call<T>(
    operation: string,
    request: { method: HttpCallInput['method']; path: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string> },
    schema: z.ZodType<T>,
    options?: CallOptions,
  ): Promise<T> {
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const url = new URL(request.path, this.host.address);
    const body = request.json === undefined ? request.body : JSON.stringify(request.json);
    const headers = request.json === undefined ? request.headers : { 'content-type': 'application/json' };
    let answer;
    try {
      answer = await httpCall({ method: request.method, url, timeoutMs, headers, body, ...(this.agent ? { agent: this.agent } : {}) });
    } catch (error) {
      if (error instanceof HttpCallError) {
        throw new HostUnreachableError(this.host, operation, error.failure.kind, error.failure.detail, { cause: error });
      }
      throw error;
    }
    const claimed = answer.headers[HOST_ID_HEADER];
    if (typeof claimed !== 'string') {
      throw new MalformedHostResponseError(this.host, operation, answer.status, [`no ${HOST_ID_HEADER} header: not a host agent?`]);
    }
    if (claimed !== this.host.id) throw new HostIdentityMismatchError(this.host, operation, claimed);

    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      throw new MalformedHostResponseError(this.host, operation, answer.status, [`body is not JSON: ${answer.body.slice(0, 80)}`]);
    }
    if (answer.status >= 400 && answer.status < 500) {
      const refusal = refusalSchema.safeParse(parsed);
      if (!refusal.success) throw new MalformedHostResponseError(this.host, operation, answer.status, issuesOf(refusal.error));
      throw new HostRefusedError(this.host, operation, answer.status, refusal.data.error, refusal.data.message);
    }
    if (answer.status >= 500) {
      const refusal = refusalSchema.safeParse(parsed);
      throw new HostFailedError(this.host, operation, answer.status, refusal.success ? refusal.data.message : answer.body.slice(0, 200));
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw new MalformedHostResponseError(this.host, operation, answer.status, issuesOf(result.error));
    return result.data;
  }
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
