// The `bankswitch` commands: thin wiring from arguments to the application layer and
// from its answers to text (or JSON with --json). Exit codes: 0 ok, 1 unexpected error,
// 2 invalid input, 3 not found, 4 conflict, 5 Temporal/database/API unavailable, 9 token
// missing, unknown or not allowed; `campaign watch` ends with 0 completed, 6 halted,
// 7 cancelled, 8 failed/terminated.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { isAppError, ROLES, type AppErrorKind, type BankswitchApp } from '@bankswitch/app';
import { formatCampaign, formatCampaigns, formatHistory, formatHost, formatHostAction, formatHostAt, formatHosts, formatImport, formatObservations, formatPlanOutput, formatRetry, formatTokens, progressLine } from './format';
import { watchCampaign, watchExitCode } from './watch';

type ApprovalPoint = 'stage' | 'reboot' | 'commit';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
}

export interface CliContext {
  /**
   * Opens the application once per command, closed when the command ends: the API's
   * client when a server is named (--server), else the service in process.
   */
  open(options: { server?: string }): Promise<{ readonly app: BankswitchApp; readonly operator: string; close(): Promise<void> }>;
  readonly io: CliIo;
}

export const EXIT: Record<AppErrorKind, number> = { 'invalid-input': 2, 'not-found': 3, conflict: 4, unavailable: 5, unauthenticated: 9, forbidden: 9 };

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw Object.assign(new Error(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`), { exitCode: 2 });
  }
}

export function createProgram(ctx: CliContext): { program: Command; exitCode: () => number } {
  let exitCode = 0;
  const { io } = ctx;
  const print = (json: boolean | undefined, value: unknown, text: () => string): void => {
    io.out(json ? JSON.stringify(value, null, 2) : text());
  };
  const run =
    <A extends unknown[]>(action: (app: BankswitchApp, ...args: A) => Promise<number | void>) =>
    async (...args: A) => {
      const opened = await ctx.open({ server: program.opts<{ server?: string }>().server });
      operator = opened.operator;
      try {
        exitCode = (await action(opened.app, ...args)) ?? 0;
      } finally {
        await opened.close();
      }
    };
  const json = () => new Option('--json', 'print JSON instead of text');
  let operator = 'unknown';
  const by = () => ({ by: operator });

  const program = new Command('bankswitch')
    .description(
      'Operate A/B boot-bank upgrade campaigns over a fleet of ESXi hosts.\n' +
        'Through the API: --server or BANKSWITCH_SERVER, with BANKSWITCH_TOKEN (the token\'s name is the operator recorded).\n' +
        'Without a server, straight to the database and Temporal: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BANKSWITCH_TASK_QUEUE, BANKSWITCH_OPERATOR (default: OS user).',
    )
    .addOption(new Option('--server <url>', "the Bankswitch API's URL, e.g. http://127.0.0.1:8080").env('BANKSWITCH_SERVER'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const hosts = program.command('hosts').description('the inventory: import, list, show and observe hosts');
  hosts
    .command('import')
    .description('import (upsert) hosts from an inventory JSON file: [{ id, name, address, cluster, labels?, driver? }]')
    .argument('<file>', 'inventory JSON file')
    .addOption(json())
    .action(run(async (app, file: string, o: { json?: boolean }) => { const r = await app.importHosts(readFile(file)); print(o.json, r, () => formatImport(r)); }));
  hosts
    .command('list', { isDefault: true })
    .description('every host with its booted build, rollback target, standing and drift (the default of `bankswitch hosts`)')
    .option('--cluster <name>', 'only this cluster')
    .option('--drifted', 'only hosts found changed out of band since Bankswitch last acted on them')
    .addOption(json())
    .action(run(async (app, o: { json?: boolean; cluster?: string; drifted?: boolean }) => { const h = await app.listHosts({ cluster: o.cluster, drifted: o.drifted }); print(o.json, h, () => formatHosts(h)); }));
  hosts
    .command('observe')
    .description('look at hosts now (all, a cluster, or the ones named) and record in their histories what changed out of band; the drift watch does this on a schedule')
    .argument('[hosts...]', 'host ids or names (default: every host)')
    .option('--cluster <name>', "only this cluster's hosts")
    .addOption(json())
    .action(run(async (app, refs: string[], o: { json?: boolean; cluster?: string }) => { const r = await app.observeHosts({ ...by(), hosts: refs, cluster: o.cluster }); print(o.json, r, () => formatObservations(r)); }));
  hosts
    .command('show')
    .description('one host: its banks, builds and what it can roll back to')
    .argument('<host>', 'host id or name')
    .addOption(json())
    .action(run(async (app, host: string, o: { json?: boolean }) => { const h = await app.showHost(host); print(o.json, h, () => formatHost(h)); }));

  const campaign = program.command('campaign').description('plan, launch, follow and steer campaigns');
  campaign
    .command('plan')
    .description('validate a campaign spec (YAML or JSON) and show its waves and warnings; every error with its path')
    .argument('<spec>', 'spec file')
    .addOption(json())
    .action(run(async (app, spec: string, o: { json?: boolean }) => { const p = await app.planCampaign(readFile(spec)); print(o.json, p, () => formatPlanOutput(p)); }));
  campaign
    .command('launch')
    .description('plan and start a campaign; its id is the spec name, and launching it again starts nothing')
    .argument('<spec>', 'spec file')
    .addOption(json())
    .action(
      run(async (app, spec: string, o: { json?: boolean }) => {
        const r = await app.launchCampaign(readFile(spec), { ...by(), specDir: path.dirname(path.resolve(spec)) });
        print(o.json, { ...r, plan: r.plan?.text }, () => (r.plan ? `${r.plan.text}\n${r.message}` : r.message));
      }),
    );
  campaign
    .command('list')
    .description('every campaign in the event store, newest first (works while Temporal is away)')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 50)
    .addOption(json())
    .action(run(async (app, o: { json?: boolean; limit: number }) => { const c = await app.listCampaigns({ limit: o.limit }); print(o.json, c, () => formatCampaigns(c)); }));
  campaign
    .command('status')
    .description('progress while running, the final state once ended')
    .argument('<campaign>', 'campaign id (the spec name)')
    .addOption(json())
    .action(run(async (app, id: string, o: { json?: boolean }) => { const v = await app.campaignStatus(id); print(o.json, v, () => formatCampaign(v)); }));
  campaign
    .command('watch')
    .description('live progress until the campaign ends; exit 0 completed, 6 halted, 7 cancelled, 8 failed')
    .argument('<campaign>', 'campaign id')
    .option('--interval <ms>', 'poll interval', (v) => Number(v), 1000)
    .addOption(new Option('--json', 'print one JSON line per change'))
    .action(
      run(async (app, id: string, o: { json?: boolean; interval: number }) => {
        const view = await watchCampaign(app, id, { intervalMs: o.interval, json: Boolean(o.json), tty: io.isTty, write: io.out });
        if (!o.json) io.out(`Campaign ${id} ended ${view.status}: ${progressLine(view.progress)}${view.note ? `\n  note: ${view.note}` : ''}`);
        return watchExitCode(view);
      }),
    );
  const campaignActions = {
    pause: 'stop starting hosts (hosts in flight finish); recorded with the operator',
    resume: 'go on after a pause (or an approval wait)',
    approve: 'approve the next wave of a campaign that waits for approval',
    cancel: 'stop the campaign for good: hosts in flight are settled (rolled back or abandoned) and report how they ended',
  } as const;
  for (const action of ['pause', 'resume', 'approve', 'cancel'] as const) {
    campaign
      .command(action)
      .description(campaignActions[action])
      .argument('<campaign>', 'campaign id')
      .option('--reason <text>', 'why, recorded with the event')
      .addOption(json())
      .action(
        run(async (app, id: string, o: { json?: boolean; reason?: string }) => {
          const call = { pause: app.pauseCampaign, resume: app.resumeCampaign, approve: app.approveCampaign, cancel: app.cancelCampaign }[action];
          const p = await call(id, { ...by(), reason: o.reason });
          const done = { pause: 'Paused', resume: 'Resumed', approve: 'Approved', cancel: 'Cancelled (hosts in flight are being settled)' }[action];
          print(o.json, p, () => `${done}: ${id} · ${progressLine(p)}`);
        }),
      );
  }
  const pointOption = () => new Option('--point <point>', 'only hosts waiting before this step').choices(['stage', 'reboot', 'commit']);
  campaign
    .command('approve-hosts')
    .description('approve every host waiting at a pause point of the campaign\'s approvals (spec `approvals`); recorded with who approved')
    .argument('<campaign>', 'campaign id')
    .addOption(pointOption())
    .addOption(json())
    .action(
      run(async (app, id: string, o: { json?: boolean; point?: ApprovalPoint }) => {
        const p = await app.approveCampaignHosts(id, { ...by(), ...(o.point ? { point: o.point } : {}) });
        print(o.json, p, () => `Approved waiting hosts: ${id} · ${progressLine(p)}`);
      }),
    );
  campaign
    .command('retry')
    .description('retry failed hosts: requeued while the campaign runs, a retry run once it has ended')
    .argument('<campaign>', 'campaign id')
    .option('--host <id...>', 'only these hosts (default: every failed or cancelled host)')
    .addOption(json())
    .action(run(async (app, id: string, o: { json?: boolean; host?: string[] }) => { const r = await app.retryCampaign(id, { ...by(), hostIds: o.host }); print(o.json, r, () => formatRetry(r)); }));

  const host = program.command('host').description('one host: bank history, retry, cancel, and the actions that settle it');
  host
    .command('history')
    .description('the bank timeline with the campaign, workflow and operator behind each change; --at: the banks as they were')
    .argument('<host>', 'host id or name')
    .option('--at <time>', 'ISO 8601 instant, e.g. 2025-06-01T14:05:00Z')
    .addOption(json())
    .action(
      run(async (app, ref: string, o: { json?: boolean; at?: string }) => {
        if (o.at) {
          const s = await app.hostAt(ref, o.at);
          return print(o.json, s, () => formatHostAt(s));
        }
        const h = await app.hostHistory(ref);
        print(o.json, h, () => formatHistory(h.hostId, h.entries));
      }),
    );
  host
    .command('approve')
    .description('approve a host waiting at a pause point of its campaign\'s approvals (spec `approvals`); recorded with who approved')
    .argument('<host>', 'host id or name')
    .addOption(pointOption())
    .addOption(json())
    .action(
      run(async (app, ref: string, o: { json?: boolean; point?: ApprovalPoint }) => {
        const p = await app.approveHost(ref, { ...by(), ...(o.point ? { point: o.point } : {}) });
        print(o.json, p, () => `Approved ${ref}: ${p.campaignId} · ${progressLine(p)}`);
      }),
    );
  host
    .command('retry')
    .description('retry the host in the campaign that last touched it')
    .argument('<host>', 'host id or name')
    .addOption(json())
    .action(run(async (app, ref: string, o: { json?: boolean }) => { const r = await app.retryHost(ref, by()); print(o.json, r, () => formatRetry(r)); }));
  const hostActions = {
    rollback: 'roll the host back to the image in its other bank (as Shift+R does), and confirm it booted; refused when there is none',
    abandon: 'mark a staged, never-booted image INVALID so that no reboot boots it; refused when none is staged',
    commit: 'mark the booted image VALID (known-good); for a host that runs a new image you verified by hand',
    observe: 'read the host and record what it shows (its banks, a fallback or a change made out of band)',
  } as const;
  for (const action of ['rollback', 'abandon', 'commit', 'observe'] as const) {
    host
      .command(action)
      .description(`${hostActions[action]}; one operation per host at a time, recorded with who and why`)
      .argument('<host>', 'host id or name')
      .option('--reason <text>', 'why, recorded with the events')
      .addOption(json())
      .action(run(async (app, ref: string, o: { json?: boolean; reason?: string }) => { const r = await app.hostAction(ref, action, { ...by(), reason: o.reason }); print(o.json, r, () => formatHostAction(r)); }));
  }
  host
    .command('cancel')
    .description("cancel what runs on the host (host-<id>: its upgrade, or an operator's action); an upgrade undoes what it had started")
    .argument('<host>', 'host id or name')
    .option('--reason <text>', 'why (kept in Temporal history)')
    .addOption(json())
    .action(run(async (app, ref: string, o: { json?: boolean; reason?: string }) => { const r = await app.cancelHost(ref, { ...by(), reason: o.reason }); print(o.json, r, () => r.message); }));

  const tokens = program.command('tokens').description('API tokens: who may use the API, the CLI through it and the dashboard, and as whom');
  tokens
    .command('create')
    .description('create a token; the secret is printed once and stored only hashed; its name is the operator recorded for what is done with it')
    .requiredOption('--name <name>', 'who will use it (never reused, even once revoked)')
    .addOption(new Option('--role <role>', 'operator: may act; auditor: may only read').choices(ROLES).makeOptionMandatory())
    .addOption(json())
    .action(
      run(async (app, o: { json?: boolean; name: string; role: string }) => {
        const t = await app.createToken({ ...by(), name: o.name, role: o.role });
        print(o.json, t, () => `Created ${t.role} token ${t.name}. It is shown only now; keep it secret:\n${t.token}`);
      }),
    );
  tokens
    .command('list', { isDefault: true })
    .description('every token: name, role, who created it, last use, revoked (never the secret)')
    .addOption(json())
    .action(run(async (app, o: { json?: boolean }) => { const t = await app.listTokens(); print(o.json, t, () => formatTokens(t)); }));
  tokens
    .command('revoke')
    .description('refuse a token from now on (its name stays taken)')
    .argument('<name>', 'token name')
    .addOption(json())
    .action(run(async (app, name: string, o: { json?: boolean }) => { const t = await app.revokeToken(name, by()); print(o.json, t, () => `Revoked token ${t.name} (${t.role}); it is refused from now on.`); }));

  return { program, exitCode: () => exitCode };
}

/** Runs one command line; returns the exit code and never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { program, exitCode } = createProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string; details?: unknown };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (isAppError(error)) {
      ctx.io.err(`error: ${error.message}`);
      if (error.details.length && !error.message.includes(error.details[0]!.message)) for (const d of error.details) ctx.io.err(`  ${d.path || '(document)'}: ${d.message}`);
      return EXIT[error.kind];
    }
    ctx.io.err(`error: ${e.message ?? String(error)}`);
    return e.exitCode ?? 1;
  }
}
