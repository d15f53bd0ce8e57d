// A Bankswitch worker that kills itself once, at a named point: right after the named
// activity has done its work for the named host (acted on the host, appended its
// events), before Temporal hears that it finished. The hardest moment for idempotency:
// the restarted worker runs the activity again. Started by the chaos suite:
//   CHAOS_CRASH_AFTER=<activityType>@<hostId> CHAOS_CRASH_MARKER=<file> tsx chaos-worker.ts
import fs from 'node:fs';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { createBankswitchWorker, workerConfigFromEnv } from '@bankswitch/worker';

const [activityType, hostId] = (process.env.CHAOS_CRASH_AFTER ?? '').split('@');
const marker = process.env.CHAOS_CRASH_MARKER;

const crashOnce: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    const result = await next(input);
    const args = input.args[0] as { hostId?: string } | undefined;
    if (marker && args?.hostId === hostId && !fs.existsSync(marker)) {
      fs.writeFileSync(marker, `${activityType}@${hostId}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return result;
  },
};

const config = workerConfigFromEnv();
const running = await createBankswitchWorker(config, {
  pollMs: 100,
  interceptors: { activity: [(ctx) => ({ inbound: ctx.info.activityType === activityType ? crashOnce : {} })] },
});
console.log(`bankswitch worker: task queue ${config.taskQueue} on ${config.temporalAddress} (chaos: dies after ${activityType ?? 'nothing'} of ${hostId ?? '-'})`);
await running.run();
