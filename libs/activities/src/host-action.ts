import { Context } from '@temporalio/activity';
import { decide, inactiveBank, settlementFor, type BankCommand, type HostBanks, type HostEndState } from '@bankswitch/banks';
import { HostUnreachableError, type HostDriver, type HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import type { HostActionRequest, HostActionResult, HostActionRuling } from './contracts';
import { describeBanks } from './describe-banks';
import { decideAndAct, reconcile, recordBoot } from './host-record';
import { pollHost } from './poll-host';
import type { ActivityDependencies } from './ports';

/**
 * An operator's action on one host (rollback, abandon, commit, observe), the way
 * operators settle a host that needs attention: the host is read and recorded first,
 * the bank decider rules (a refusal says why in plain words and touches nothing), then
 * the driver acts, and `HostActionTaken` records who, why and where it left the host.
 */
export async function takeHostAction(deps: ActivityDependencies, request: HostActionRequest): Promise<HostActionResult> {
  const { hostId, action } = request;
  const driver = await deps.driverFor(hostId);
  const metadata = metadataFor({ operator: request.by });
  // A retry after this action's rollback was sent (the heartbeat says so) only waits and records.
  const rolledBackFrom = (Context.current().info.heartbeatDetails as { rollbackFromBoot?: string } | undefined)?.rollbackFromBoot;
  if (action === 'rollback' && rolledBackFrom) return finishRollback(deps, request, driver, rolledBackFrom, null);
  const ruling = await rule(deps, request, driver);
  if (ruling.kind === 'refused') return ruling;
  const { host, command } = ruling;
  if (action === 'rollback') return finishRollback(deps, request, driver, host.bootId, host);
  // An observe records what differs from the history (the ruling did) and the action itself, not the same banks twice.
  if (action !== 'observe') {
    await decideAndAct({ history: deps.history, hostId, key: activityKey(action), metadata }, host, { command, alreadyDone: () => false, act: () => act(driver, request) });
  }
  const { endState, detail, settle } = standingAfter((await deps.history.load(hostId)).state, hostId);
  return record(deps, request, endState, detail, settle);
}

/**
 * The decider's ruling on an operator's action, before anything touches the host (the
 * host workflow asks it before putting a host in maintenance mode for a rollback). What
 * the host shows that the history does not is recorded, as an observation.
 */
export async function ruleOnHostAction(deps: ActivityDependencies, request: HostActionRequest): Promise<HostActionRuling> {
  const ruling = await rule(deps, request, await deps.driverFor(request.hostId));
  return ruling.kind === 'refused' ? ruling : { kind: 'accepted', maintenanceMode: ruling.host.maintenanceMode };
}

type Ruling = { kind: 'accepted'; host: HostState; command: BankCommand } | Extract<HostActionResult, { kind: 'refused' }>;

async function rule(deps: ActivityDependencies, request: HostActionRequest, driver: HostDriver): Promise<Ruling> {
  const { hostId, action } = request;
  const refused = (reason: string) => ({ kind: 'refused', hostId, action, reason }) as const;
  let host: HostState;
  try {
    host = await driver.getState({ timeoutMs: 5_000 });
  } catch (error) {
    if (error instanceof HostUnreachableError) return refused(`${error.message} Nothing was done.`);
    throw error;
  }
  const metadata = metadataFor({ operator: request.by });
  const state = (await reconcile({ history: deps.history, hostId, key: activityKey(`${action}/seen`), metadata }, host, await deps.history.load(hostId))).state;
  const command = commandFor(request, state, host);
  const decision = decide(command, state);
  if (!decision.ok) return refused(decision.refusal.message);
  if (decision.events.length === 0 && action !== 'observe') return refused(nothingToDo(request, state));
  return { kind: 'accepted', host, command };
}

/**
 * Sends the rollback (unless `host` is null: a retry whose first attempt sent it), waits
 * for the host to boot the previous image, and records both. The boot it rolled back
 * from is kept in the heartbeat, so a retried activity never sends a second rollback.
 */
async function finishRollback(deps: ActivityDependencies, request: HostActionRequest, driver: HostDriver, fromBoot: string, host: HostState | null): Promise<HostActionResult> {
  const { hostId } = request;
  const metadata = metadataFor({ operator: request.by });
  await decideAndAct({ history: deps.history, hostId, key: activityKey('rollback'), metadata }, host, {
    command: { type: 'RollBack', data: { reason: request.reason } },
    alreadyDone: (h) => h.bootId !== fromBoot,
    act: async () => {
      Context.current().heartbeat({ rollbackFromBoot: fromBoot });
      await driver.rollBack();
    },
  });
  const back = (await pollHost(driver, { timeoutMs: request.rebootTimeoutMs, pollMs: deps.pollMs ?? 250, until: (h) => h.bootId !== fromBoot, waitingFor: 'boot' })).state;
  if (!back) {
    return record(deps, request, 'needs-attention', `rolled back, but the host did not come back within ${Math.round(request.rebootTimeoutMs / 1000)} s`, `bring it back, then \`bankswitch host observe ${hostId}\``);
  }
  const { endState, detail, settle } = standingAfter((await recordBoot({ history: deps.history, hostId, metadata }, back)).state, hostId);
  return record(deps, request, endState, detail, settle);
}

function commandFor(request: HostActionRequest, state: HostBanks, host: HostState): BankCommand {
  switch (request.action) {
    case 'rollback':
      return { type: 'RollBack', data: { reason: request.reason } };
    case 'abandon':
      return { type: 'AbandonStagedImage', data: { reason: request.reason } };
    case 'commit':
      return { type: 'CommitBank', data: { bank: state.bootedBank ?? 0 } };
    case 'observe':
      return { type: 'ObserveBanks', data: { bootedBank: host.bootedBank, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } };
  }
}

function nothingToDo(request: HostActionRequest, state: HostBanks): string {
  if (request.action === 'abandon') {
    const bank = inactiveBank(state);
    const image = bank === null ? undefined : state.banks[bank];
    return `nothing to abandon: bank ${bank ?? '?'} holds ${image?.build ?? 'nothing'} (${image?.bootstate ?? 'unknown'}), no staged image waits for its first boot`;
  }
  return `nothing to commit: the booted bank is already VALID (${describeBanks(state)})`;
}

async function act(driver: HostDriver, request: HostActionRequest): Promise<unknown> {
  switch (request.action) {
    case 'rollback':
      return driver.rollBack();
    case 'abandon':
      return driver.abandonStage();
    case 'commit':
      return driver.commit({});
    case 'observe':
      return undefined;
  }
}

/** Where the host stands now, against the build its last upgrade was installing. */
function standingAfter(state: HostBanks, hostId: string): { endState: HostEndState; detail: string; settle: string | null } {
  const banks = describeBanks(state);
  const target = state.standing?.toBuild;
  if (!target) return { endState: 'untouched', detail: banks, settle: null };
  const settlement = settlementFor(state, target, hostId);
  switch (settlement.kind) {
    case 'ended':
      return { endState: settlement.endState, detail: `${settlement.detail} (${banks})`, settle: null };
    case 'attention':
      return { endState: 'needs-attention', detail: `${settlement.detail} (${banks})`, settle: settlement.settle };
    case 'abandon-stage':
      return { endState: 'needs-attention', detail: `${settlement.detail} (${banks})`, settle: `abandon the staged image: \`bankswitch host abandon ${hostId}\`` };
    case 'roll-back':
      return { endState: 'needs-attention', detail: `${settlement.detail} (${banks})`, settle: `verify it and commit it (\`bankswitch host commit ${hostId}\`), or roll it back (\`bankswitch host rollback ${hostId}\`)` };
  }
}

async function record(deps: ActivityDependencies, request: HostActionRequest, endState: HostEndState, detail: string, settle: string | null): Promise<HostActionResult> {
  const key = activityKey(`${request.action}/taken`);
  const snapshot = await deps.history.load(request.hostId);
  if (!snapshot.keys.has(key)) {
    await deps.history.append(request.hostId, [{ type: 'HostActionTaken', data: { action: request.action, reason: request.reason, endState, detail, settle } }], {
      expectedVersion: snapshot.version,
      idempotencyKey: key,
      metadata: metadataFor({ operator: request.by }),
    });
  }
  return { kind: 'done', hostId: request.hostId, action: request.action, endState, detail, ...(settle ? { settle } : {}) };
}
