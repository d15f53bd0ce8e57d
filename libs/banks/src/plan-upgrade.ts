import type { ImageSignatureCheck } from './commands';
import { decide } from './decide';
import type { HostBanks } from './host-banks';
import { inactiveBank } from './host-banks';

export interface UpgradeTarget {
  readonly build: string;
  readonly sha256: string;
}

/** What the host shows beyond its two boot.cfg files. */
export interface StagedImageFacts {
  /** sha256 of the image file in the inactive bank, when the host reports one. */
  readonly stagedSha256: string | null;
  /** An earlier stage was cut off half-way: the inactive bank's image is not to be trusted. */
  readonly incompleteStage: boolean;
}

export type ResumePoint = 'stage' | 'reboot' | 'verify';
export interface SkippedStep {
  readonly step: string;
  readonly why: string;
}

export type UpgradePlan =
  | { readonly kind: 'ready'; readonly resumeFrom: ResumePoint; readonly skipped: readonly SkippedStep[] }
  | { readonly kind: 'already-on-target'; readonly detail: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Where an upgrade of a host starts, from its banks as just observed (and recorded): a
 * retry resumes where the host stands, nothing is redone blindly, and a host the bank
 * rules would not let us stage is refused here, before anything touches it.
 */
export function planUpgrade(
  state: HostBanks,
  target: UpgradeTarget,
  facts: StagedImageFacts,
  options: { readonly waiveUncommittedRunning: boolean; readonly signature?: ImageSignatureCheck; readonly allowDowngrade?: { readonly reason: string } },
): UpgradePlan {
  const booted = state.bootedBank;
  const alternateIndex = inactiveBank(state);
  if (booted === null || alternateIndex === null) return { kind: 'refused', reason: 'the booted bank is not known: observe the host first' };
  const running = state.banks[booted];
  const alternate = state.banks[alternateIndex];

  if (running.build === target.build) {
    if (running.bootstate === 'VALID') return { kind: 'already-on-target', detail: `already runs ${target.build} from bank ${booted}, committed (VALID)` };
    if (running.bootstate === 'DIRTY') {
      return {
        kind: 'ready',
        resumeFrom: 'verify',
        skipped: [
          { step: 'stage', why: `bank ${booted} already holds ${target.build}` },
          { step: 'reboot', why: `the host already booted ${target.build} from bank ${booted} (DIRTY), not yet verified` },
        ],
      };
    }
  }
  if (alternate.build === target.build && alternate.bootstate === 'UPGRADING' && !facts.incompleteStage && facts.stagedSha256 === target.sha256) {
    return {
      kind: 'ready',
      resumeFrom: 'reboot',
      skipped: [{ step: 'stage', why: `bank ${alternateIndex} already holds ${target.build} with the expected sha256, staged and not yet booted` }],
    };
  }
  const { waiveUncommittedRunning, signature, allowDowngrade } = options;
  const stage = decide(
    {
      type: 'StageImage',
      data: { build: target.build, sha256: target.sha256, waiveUncommittedRunning, ...(signature ? { signature } : {}), ...(allowDowngrade ? { allowDowngrade } : {}) },
    },
    state,
  );
  if (!stage.ok) {
    const hint =
      stage.refusal.code === 'BOOTED_BANK_NOT_COMMITTED'
        ? running.bootstate === 'DIRTY'
          ? ` Verify the running image and commit it (\`bankswitch host commit <host>\`), or list the host under verification.waiveRollbackImage to upgrade it anyway.`
          : ` Its boot.cfg may be damaged: check /bootbank/boot.cfg on the host, then observe it again (\`bankswitch host observe <host>\`).`
        : '';
    return { kind: 'refused', reason: `staging ${target.build} is refused (${stage.refusal.code}): ${stage.refusal.message}.${hint}` };
  }
  return { kind: 'ready', resumeFrom: 'stage', skipped: [] };
}
