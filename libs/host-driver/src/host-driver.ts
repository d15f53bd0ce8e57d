// What the engine needs from a host, whatever the transport. The HTTP driver talks to
// the simulated agent; an SSH/esxcli driver can implement the same interface (getState
// from `cat /bootbank/boot.cfg /altbootbank/boot.cfg`, stageImage from
// `esxcli software profile update`, commit from the update tooling's mark-valid step).
import type { HostRef } from './errors';
import type { AbandonStageResult, BootLogEntry, CommitRequest, CommitResult, HealthReport, HostState, MaintenanceModeRequest, MaintenanceModeResult, RebootAccepted, StageResult } from './wire';

export interface HostInventoryEntry extends HostRef {
  readonly driver: 'http';
}

export interface CallOptions {
  /** Total time for this call, connect to last byte. */
  readonly timeoutMs?: number;
}

export interface StageImageInput {
  readonly build: string;
  readonly payload: Uint8Array;
  /** sha256 (hex) of payload; the host refuses the stage when it does not match. */
  readonly sha256: string;
}

export interface WaitUntilUpOptions {
  /** Wait for a boot id different from this one (the boot before the reboot). */
  readonly afterBootId?: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

export interface HostDriver {
  readonly host: HostRef;
  getState(options?: CallOptions): Promise<HostState>;
  /** Writes the image into the alternate bank, marked UPGRADING with updated = current + 1. */
  stageImage(image: StageImageInput, options?: CallOptions): Promise<StageResult>;
  /** Accepted (202); the host then stops answering until it has booted again. */
  reboot(options?: CallOptions): Promise<RebootAccepted>;
  /** Marks the booted bank VALID; refused when `expect` names a bank or build that did not boot. */
  commit(expect?: CommitRequest, options?: CallOptions): Promise<CommitResult>;
  /** Marks a staged, never-booted image in the alternate bank INVALID; a no-op when none is staged. */
  abandonStage(options?: CallOptions): Promise<AbandonStageResult>;
  /** Shift+R: invalidates the booted bank and reboots into the other; refused without a valid alternate. */
  rollBack(options?: CallOptions): Promise<RebootAccepted>;
  /**
   * Enters (VMs evacuated first, within `timeoutMs`) or leaves maintenance mode; a
   * no-op when the host already is there. Refused when evacuation fails or times out.
   */
  setMaintenanceMode(request: MaintenanceModeRequest, options?: CallOptions): Promise<MaintenanceModeResult>;
  health(options?: CallOptions): Promise<HealthReport>;
  bootLog(options?: CallOptions & { limit?: number }): Promise<BootLogEntry[]>;
  /** Polls getState until the host answers (with a new boot id); HostUnreachableError on timeout. */
  waitUntilUp(options: WaitUntilUpOptions): Promise<HostState>;
}
