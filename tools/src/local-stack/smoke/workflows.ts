import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { recordSmokeHost } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** The smallest workflow that proves the stack: one activity that writes through Prisma. */
export async function smokeWorkflow(hostId: string): Promise<string> {
  return recordSmokeHost(hostId);
}
