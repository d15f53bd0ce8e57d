import { Context } from '@temporalio/activity';

/** The baseline's activity: nothing at all. */
export async function noop(): Promise<void> {}

/** The floor's boot wait: `ms` long, heartbeating every second as the engine's polls do (the SDK sends at most one per 0.8 × the heartbeat timeout). */
export async function waitForReboot(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    Context.current().heartbeat();
    await Context.current().sleep(Math.min(1_000, end - Date.now()));
  }
}
