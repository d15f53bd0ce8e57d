import { isDowngrade } from './build-order';
import type { BankCommandOf, ImageSignatureCheck } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import type { HostBanks } from './host-banks';
import { inactiveBank, isBootable } from './host-banks';

/**
 * Writing an image into the inactive bank overwrites whatever it held. That is accepted
 * (it is how ESXi upgrades work, and the event says when a rollback image is lost) but
 * never while the running bank is uncommitted: then the inactive bank is the only image
 * known to boot. An operator may waive that for a running bank that booted but was never
 * committed (DIRTY); an unreadable or INVALID running bank is never staged over.
 *
 * The campaign's image policies are rules here too, so that the precheck (planUpgrade)
 * and the stage step refuse alike before anything is written: an image the worker's
 * trusted keys do not vouch for (when it has any), and a build older than the running
 * one unless the campaign allows the downgrade (the reason is recorded in ImageStaged).
 */
export function stageImage(command: BankCommandOf<'StageImage'>, state: HostBanks): Decision {
  const { build, sha256 } = command.data;
  if (build.trim() === '') return refuse('INVALID_BUILD', 'the build to stage is empty');
  if (!/^[0-9a-f]{64}$/.test(sha256)) return refuse('INVALID_SHA256', `"${sha256}" is not a lowercase hex SHA-256`);
  const unsigned = signatureRefusal(command.data.signature);
  if (unsigned) return unsigned;
  const target = inactiveBank(state);
  if (state.bootedBank === null || target === null) {
    return refuse('BOOTED_BANK_UNKNOWN', 'the booted bank is not known; observe the banks first');
  }
  const running = state.banks[state.bootedBank];
  const waived = command.data.waiveUncommittedRunning === true && running.bootstate === 'DIRTY' && running.build !== null;
  if (running.bootstate !== 'VALID' && !waived) {
    return refuse(
      'BOOTED_BANK_NOT_COMMITTED',
      `bank ${state.bootedBank} (${running.build ?? 'empty or unreadable'}) is ${running.bootstate}, not committed; staging would overwrite the only valid image`,
    );
  }
  if (running.build === build) return refuse('BUILD_ALREADY_RUNNING', `build ${build} is already running on bank ${state.bootedBank}`);
  const allowDowngrade = command.data.allowDowngrade;
  const downgrade = isDowngrade(running.build, build);
  if (downgrade && !allowDowngrade?.reason.trim()) {
    return refuse(
      'DOWNGRADE_NOT_ALLOWED',
      `${build} is older than the running ${running.build}; a downgrade is staged only when the campaign allows it: target.allowDowngrade: { reason: "…" }`,
    );
  }
  const updated = command.data.updated ?? running.updated + 1;
  // The loader boots the highest `updated`: a lower or equal counter would never boot.
  if (!Number.isInteger(updated) || updated <= running.updated) {
    return refuse('UPDATED_NOT_HIGHER', `updated=${updated} must be above the running bank's ${running.updated}`);
  }
  const replaced = state.banks[target];
  return accept({
    type: 'ImageStaged',
    data: {
      bank: target,
      build,
      sha256,
      updated,
      replacedBuild: replaced.build,
      rollbackImageLost: isBootable(replaced),
      ...(downgrade && running.build !== null && allowDowngrade ? { downgrade: { fromBuild: running.build, reason: allowDowngrade.reason.trim() } } : {}),
      ...(command.data.signature?.status === 'verified' ? { signedBy: command.data.signature.keyId } : {}),
    },
  });
}

function signatureRefusal(check: ImageSignatureCheck | undefined): Decision | undefined {
  if (check?.status === 'missing') {
    return refuse(
      'IMAGE_NOT_SIGNED',
      `the image is not signed, and the worker stages only images signed by one of its trusted keys (${check.trustedKeys.join(', ')}): sign the image's SHA-256 and set target.signature`,
    );
  }
  if (check?.status === 'invalid') {
    return refuse('IMAGE_SIGNATURE_INVALID', `target.signature does not verify the image's SHA-256 under any of the worker's trusted keys: ${check.detail}`);
  }
  return undefined;
}
