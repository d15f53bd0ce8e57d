import { hostBanksFromBootCfgs, type HostBanks } from '@bankswitch/banks';
import type { HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import type { HostStep, PrecheckResult, ResumePoint, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

type Input = HostStep & { target: TargetImage; waiveRollbackImage: boolean };

export async function precheckHost(deps: ActivityDependencies, input: Input): Promise<PrecheckResult> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  const observed = observedBanks(host);
  const snapshot = await deps.history.load(input.hostId);
  if (snapshot.version === 0 || !sameBanks(snapshot.state, observed)) {
    // First sight of the host (its baseline), or drift: the host is the truth from here on.
    await recordBankCommand(
      deps.history,
      input.hostId,
      { type: 'ObserveBanks', data: { bootedBank: host.bootedBank, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } },
      { idempotencyKey: activityKey('observe'), metadata: metadataFor(input) },
      snapshot,
    );
  }
  const plan = resumePoint(host, observed, input);
  if (plan.kind === 'ready') {
    await deps.history.recordHostUpgradeStarted(
      input.campaignId,
      { hostId: input.hostId, wave: input.wave, fromBuild: host.runningBuild, toBuild: input.target.build, attempt: input.attempt, resumeFrom: plan.resumeFrom, skipped: plan.skipped },
      { idempotencyKey: activityKey('started'), metadata: metadataFor(input) },
    );
  }
  return plan;
}

function observedBanks(host: HostState): HostBanks {
  return hostBanksFromBootCfgs(host.banks[0].bootCfg, host.banks[1].bootCfg, host.bootedBank);
}

function sameBanks(a: HostBanks, b: HostBanks): boolean {
  if (a.bootedBank !== b.bootedBank) return false;
  return ([0, 1] as const).every(
    (i) => a.banks[i].build === b.banks[i].build && a.banks[i].updated === b.banks[i].updated && a.banks[i].bootstate === b.banks[i].bootstate,
  );
}

/** Where this upgrade starts, from what the host shows (a retry resumes; nothing is redone blindly). */
function resumePoint(host: HostState, banks: HostBanks, input: Input): PrecheckResult {
  const booted = host.bootedBank;
  const running = banks.banks[booted];
  const alternate = banks.banks[booted === 0 ? 1 : 0];
  const ready = (resumeFrom: ResumePoint, skipped: { step: string; why: string }[] = []): PrecheckResult => ({
    kind: 'ready',
    resumeFrom,
    skipped,
    bootId: host.bootId,
    bootedBank: booted,
    runningBuild: host.runningBuild,
  });

  if (host.runningBuild === input.target.build) {
    if (running.bootstate === 'VALID') {
      return { kind: 'already-on-target', detail: `already runs ${input.target.build} from bank ${booted}, committed (VALID)` };
    }
    return ready('verify', [
      { step: 'stage', why: `bank ${booted} already holds ${input.target.build}` },
      { step: 'reboot', why: `the host already booted ${input.target.build} from bank ${booted} (${running.bootstate}), not yet verified` },
    ]);
  }
  if (running.bootstate !== 'VALID' && !input.waiveRollbackImage) {
    return {
      kind: 'refused',
      reason:
        `expected the running image (bank ${booted}, build ${host.runningBuild}) to be committed (VALID) so that it stays as the rollback image; ` +
        `observed ${running.bootstate}. Staging now would leave no known-good image. Verify and commit the host first, ` +
        'or list it under verification.waiveRollbackImage to upgrade it anyway.',
    };
  }
  const alternateIndex = booted === 0 ? 1 : 0;
  const staged = host.banks[alternateIndex];
  if (
    !host.incompleteStage &&
    alternate.build === input.target.build &&
    alternate.bootstate === 'UPGRADING' &&
    staged.imageSha256 === input.target.sha256
  ) {
    return ready('reboot', [{ step: 'stage', why: `bank ${alternateIndex} already holds ${input.target.build} with the expected sha256, staged and not yet booted` }]);
  }
  // Anything else, including an interrupted earlier stage (host.incompleteStage), stages afresh.
  return ready('stage');
}
