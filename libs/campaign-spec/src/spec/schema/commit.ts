import { z } from 'zod';
import type { CommitScope } from '../types';

/** The fleet commit barrier: when verified hosts commit their new image (each on its own, per wave, or all at once). */
export const commitSchema = z
  .enum(['host', 'wave', 'campaign'], {
    error: 'expected "host" (each host commits once it verified), "wave" (a wave\'s hosts commit together) or "campaign" (every host commits together)',
  })
  .default('host')
  .transform((scope): CommitScope => scope)
  .describe(
    'When verified hosts commit: host (default: each on its own), wave (the hosts of a wave wait uncommitted until all of them verified, then commit together; if one fails, all of them roll back) or campaign (the same for every host of the campaign)',
  );
