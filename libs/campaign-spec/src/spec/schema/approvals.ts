import { z } from 'zod';
import type { CampaignApprovals } from '../types';

const scope = (point: string) =>
  z
    .enum(['canary', 'all', 'none'], { error: 'expected "canary" (hosts of the canary wave wait), "all" (every host waits) or "none"' })
    .default('none')
    .describe(`Which hosts wait for an operator's approval ${point}: canary (the canary wave's), all, or none (default)`);

/** Pause points inside each host's upgrade; an operator approves one host, or every waiting host at once. */
export const approvalsSchema = z
  .strictObject({
    beforeStage: scope('before the image is staged (before maintenance mode: the host stays in service while it waits)'),
    beforeReboot: scope('before the reboot into the staged image'),
    beforeCommit: scope('before the verified image is committed'),
  })
  .transform((a): CampaignApprovals => ({ beforeStage: a.beforeStage, beforeReboot: a.beforeReboot, beforeCommit: a.beforeCommit }))
  .describe('Pause points inside each host\'s upgrade: the host waits (in flight) until an operator approves it (`bankswitch host approve`, or every waiting host with `bankswitch campaign approve-hosts`)');
