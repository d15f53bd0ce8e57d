import type { CampaignCommand } from './commands';
import type { CampaignDecision } from './decision';
import { hostFinished, hostStartFailed } from './host-finished';
import { approveHosts, hostAwaitingApproval } from './approvals';
import { barrierTimedOut, hostAwaitingCommit } from './commit-barrier';
import { launch } from './launch';
import { gateChecked, windowChecked } from './policies';
import { approve, cancel, pause, resume, retry, timerFired } from './operator-commands';
import type { CampaignState } from './state';

/** Pure: the events a command produces against the campaign's state, or why it is refused. */
export function decide(command: CampaignCommand, state: CampaignState): CampaignDecision {
  switch (command.type) {
    case 'Launch':
      return launch(command, state);
    case 'HostFinished':
      return hostFinished(command, state);
    case 'HostStartFailed':
      return hostStartFailed(command, state);
    case 'Pause':
      return pause(command, state);
    case 'Resume':
      return resume(command, state);
    case 'Approve':
      return approve(command, state);
    case 'Retry':
      return retry(command, state);
    case 'Cancel':
      return cancel(command, state);
    case 'TimerFired':
      return timerFired(command, state);
    case 'WindowChecked':
      return windowChecked(command, state);
    case 'GateChecked':
      return gateChecked(command, state);
    case 'HostAwaitingApproval':
      return hostAwaitingApproval(command, state);
    case 'ApproveHosts':
      return approveHosts(command, state);
    case 'HostAwaitingCommit':
      return hostAwaitingCommit(command, state);
    case 'BarrierTimedOut':
      return barrierTimedOut(command, state);
  }
}
