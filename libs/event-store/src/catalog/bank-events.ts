import { bankEventDataSchemas } from '@bankswitch/banks';
import { defineEvent } from './define-event';

/**
 * The bank events of `host-<hostId>` streams. Their schemas live with the bank rules in
 * @bankswitch/banks (the decider emits them, `evolve` folds them); here they get their
 * stream category and schema version.
 */
export const bankEventDefinitions = {
  ImageStaged: defineEvent('ImageStaged', 'host', bankEventDataSchemas.ImageStaged),
  BankBooted: defineEvent('BankBooted', 'host', bankEventDataSchemas.BankBooted),
  BootFellBack: defineEvent('BootFellBack', 'host', bankEventDataSchemas.BootFellBack),
  BankCommitted: defineEvent('BankCommitted', 'host', bankEventDataSchemas.BankCommitted),
  BankInvalidated: defineEvent('BankInvalidated', 'host', bankEventDataSchemas.BankInvalidated),
  RolledBack: defineEvent('RolledBack', 'host', bankEventDataSchemas.RolledBack),
  DriftDetected: defineEvent('DriftDetected', 'host', bankEventDataSchemas.DriftDetected),
  BankStateObserved: defineEvent('BankStateObserved', 'host', bankEventDataSchemas.BankStateObserved),
} as const;
