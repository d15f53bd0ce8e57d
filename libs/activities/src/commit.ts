import { activityKey, metadataFor } from './activity-context';
import type { HostStep, TargetImage } from './contracts';
import { decideAndAct, observedBanks } from './host-record';
import type { ActivityDependencies } from './ports';

/** Marks the booted new bank VALID, once the decider accepted it: the host now counts as upgraded. */
export async function commitHost(deps: ActivityDependencies, input: HostStep & { target: TargetImage }): Promise<void> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  await decideAndAct({ history: deps.history, hostId: input.hostId, key: activityKey(), metadata: metadataFor(input) }, host, {
    command: { type: 'CommitBank', data: { bank: host.bootedBank } },
    alreadyDone: (h) => h.runningBuild === input.target.build && observedBanks(h).banks[h.bootedBank].bootstate === 'VALID',
    act: (h) => driver.commit({ bank: h.bootedBank, build: input.target.build }),
  });
}
