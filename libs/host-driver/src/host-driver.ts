// What the engine needs from a host, whatever the transport: the HTTP driver talks to the
// simulated hosts' own API, the esxi-ssh driver to ESXi's shell and esxcli over SSH
// (docs/esxi-ssh.md maps each operation to the commands it runs).
import type { HostRef } from './errors';
import type { AbandonStageResult, BootLogEntry, CommitRequest, CommitResult, HealthReport, HostState, MaintenanceModeRequest, MaintenanceModeResult, RebootAccepted, StageResult } from './wire';

/** How the esxi-ssh driver logs in; the credentials themselves stay where these point. */
export interface SshConnection {
  readonly user: string;
  /** The host's key, pinned: `SHA256:<base64>` as `ssh-keygen -l` prints it. */
  readonly hostKey: string;
  /** A private key file, or a password in an environment variable or a file. */
  readonly keyFile?: string;
  readonly passwordEnv?: string;
  readonly passwordFile?: string;
  /**
   * Where the depot is uploaded before `esxcli software profile update`: default /tmp,
   * a ramdisk of a few hundred MB on ESXi; name a datastore folder
   * (/vmfs/volumes/<datastore>/bankswitch) for full offline bundles.
   */
  readonly depotDir?: string;
}

export type HostInventoryEntry = (HostRef & { readonly driver: 'http' }) | (HostRef & { readonly driver: 'esxi-ssh'; readonly connection: SshConnection });

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
  /** Releases a connection the driver keeps open (SSH); a no-op for drivers without one. */
  close?(): void;
}
