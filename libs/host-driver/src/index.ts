export type { CallOptions, HostDriver, HostInventoryEntry, SshConnection, StageImageInput, WaitUntilUpOptions } from './host-driver';
export { EsxiSshDriver, type EsxiSshDriverOptions } from './esxi-ssh/esxi-ssh-driver';
export { fingerprintOf } from './esxi-ssh/ssh-session';
export { parseKeyValues, parseTable, parseVersion } from './esxi-ssh/esxi-output';
export { waitUntilUp } from './wait-until-up';
export { DRIVERS, inventoryEntryOf, sshConnectionSchema } from './inventory-entry';
export { HttpHostDriver, type HttpHostDriverOptions } from './http-host-driver';
export { createHostDriver } from './create-host-driver';
export {
  HostDriverError,
  HostFailedError,
  HostIdentityMismatchError,
  HostKeyMismatchError,
  HostAuthenticationError,
  HostRefusedError,
  HostUnreachableError,
  MalformedHostResponseError,
  type HostRef,
  type UnreachableReason,
} from './errors';
export * from './wire';
