export type { CallOptions, HostDriver, HostInventoryEntry, StageImageInput, WaitUntilUpOptions } from './host-driver';
export { HttpHostDriver, type HttpHostDriverOptions } from './http-host-driver';
export { createHostDriver } from './create-host-driver';
export {
  HostDriverError,
  HostFailedError,
  HostIdentityMismatchError,
  HostRefusedError,
  HostUnreachableError,
  MalformedHostResponseError,
  type HostRef,
  type UnreachableReason,
} from './errors';
export * from './wire';
