import { z } from 'zod';

export const APPROVAL_POINTS = ['stage', 'reboot', 'commit'] as const;
const approvalScope = z.enum(['canary', 'all', 'none']);
export const approvalsSchema = z
  .object({ beforeStage: approvalScope, beforeReboot: approvalScope, beforeCommit: approvalScope })
  .describe('Pause points inside each host\'s upgrade: which hosts wait for an operator (canary: the canary wave\'s; all; none)');

