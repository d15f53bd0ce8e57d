// An operator's actions on a campaign, offered when its state allows them, each saying
// what it will do before it does it.
import type { CampaignView, RetryResult } from '../api/types';
import { isProblem, plural } from '../format';
import { useSession } from '../session';
import { ConfirmAction } from './ConfirmAction';

export function CampaignActions({ view, maxInFlight, onDone }: { view: CampaignView; maxInFlight?: number; onDone(message: string): void }) {
  const { api } = useSession();
  const p = view.progress;
  const id = view.campaignId;
  const path = `/campaigns/${encodeURIComponent(id)}`;
  const pending = p.hosts.filter((h) => h.status === 'pending').length;
  const failed = p.hosts.filter(isProblem);
  const nextWave = p.waves.find((w) => (w.counts.pending ?? 0) > 0);
  const act = (action: string, done: string) => async (reason: string | undefined) => {
    await api.post(`${path}/${action}`, reason ? { reason } : {});
    return done;
  };
  const live = view.running;
  // Approvals: hosts waiting at a pause point of their upgrade (in flight meanwhile).
  const waiting = p.hosts.filter((h) => h.status === 'running' && h.awaitingApproval);
  const approveHosts = (body: { hostIds?: string[] }, done: string) => async () => {
    await api.post(`${path}/approve-hosts`, body);
    return done;
  };
  const actions = [
    live && waiting.length > 0 && (
      <ConfirmAction
        key="approve-hosts"
        label={`Approve ${plural(waiting.length, 'waiting host')}…`}
        title={`Approve every waiting host of ${id}?`}
        confirmLabel="Approve waiting hosts"
        description={
          <p>
            {waiting.map((h) => `${h.hostId} (before the ${h.awaitingApproval})`).join(', ')} go on with their upgrade: each takes the step it waits for. Each approval is recorded
            with your name.
          </p>
        }
        run={approveHosts({}, `Campaign ${id}: ${plural(waiting.length, 'waiting host')} approved.`)}
        onDone={onDone}
      />
    ),
    ...(live
      ? waiting.slice(0, 10).map((h) => (
          <ConfirmAction
            key={`approve-${h.hostId}`}
            label={`Approve ${h.hostId}…`}
            title={`Approve ${h.hostId} before the ${h.awaitingApproval}?`}
            confirmLabel={`Approve ${h.hostId}`}
            description={<p>{h.hostId} goes on with its upgrade: the {h.awaitingApproval} happens next. The approval is recorded with your name.</p>}
            run={approveHosts({ hostIds: [h.hostId] }, `${h.hostId} approved before the ${h.awaitingApproval}.`)}
            onDone={onDone}
          />
        ))
      : []),
    live && p.status === 'running' && (
      <ConfirmAction
        key="pause"
        label="Pause…"
        title={`Pause campaign ${id}?`}
        confirmLabel="Pause campaign"
        reasonLabel="Reason (recorded with the pause)"
        description={
          <p>
            No new host will start upgrading.{' '}
            {p.inFlight === 0 ? 'No host is upgrading now.' : `The ${plural(p.inFlight, 'host')} upgrading now ${p.inFlight === 1 ? 'finishes its' : 'finish their'} upgrade (none is stopped halfway).`}{' '}
            The campaign then waits until an operator resumes it.
          </p>
        }
        run={act('pause', `Campaign ${id} paused: no new host starts until it is resumed.`)}
        onDone={onDone}
      />
    ),
    live && p.status === 'paused' && (
      <ConfirmAction
        key="resume"
        label="Resume…"
        title={`Resume campaign ${id}?`}
        confirmLabel="Resume campaign"
        description={
          <p>
            Hosts start upgrading again{maxInFlight ? `, at most ${maxInFlight} at a time` : ''}; {plural(pending, 'host is', 'hosts are')} still waiting.
          </p>
        }
        run={act('resume', `Campaign ${id} resumed.`)}
        onDone={onDone}
      />
    ),
    live && p.status === 'awaiting-approval' && (
      <ConfirmAction
        key="approve"
        label="Approve next wave…"
        title={`Approve the next wave of ${id}?`}
        confirmLabel="Approve next wave"
        description={<p>{nextWave ? `Wave ${nextWave.index} (${plural(nextWave.total, 'host')})` : 'The next wave'} starts upgrading. The approval is recorded with your name.</p>}
        run={act('approve', `Campaign ${id}: next wave approved.`)}
        onDone={onDone}
      />
    ),
    live && ['running', 'paused', 'awaiting-approval'].includes(p.status) && (
      <ConfirmAction
        key="cancel"
        label="Cancel campaign…"
        danger
        title={`Cancel campaign ${id}?`}
        confirmLabel="Cancel campaign"
        reasonLabel="Reason (recorded with the cancellation)"
        busyText="Cancelling…"
        description={
          <>
            <p>
              No new host will start. The {plural(p.inFlight, 'upgrade')} in flight {p.inFlight === 1 ? 'is' : 'are'} cancelled: each undoes what it had begun, so its
              host ends rolled back or untouched. The {plural(pending, 'host')} not started yet stay as they are.
            </p>
            <p>A cancelled campaign cannot be resumed or retried: its remaining hosts need a new campaign.</p>
          </>
        }
        run={act('cancel', `Campaign ${id} cancelled.`)}
        onDone={onDone}
      />
    ),
    p.status !== 'cancelled' && failed.length > 0 && (
      <ConfirmAction
        key="retry"
        label="Retry failed hosts…"
        title={`Retry the failed hosts of ${id}?`}
        confirmLabel="Retry failed hosts"
        description={
          <p>
            {plural(failed.length, 'host')} ({failed.map((h) => h.hostId).join(', ')}) {failed.length === 1 ? 'is' : 'are'} upgraded again,{' '}
            {live ? "put back in this campaign's queue" : 'by a new run of this campaign'}. Each new attempt is recorded with your name.
          </p>
        }
        run={async () => {
          const result = await api.post<RetryResult>(`${path}/retry`, {});
          return result.mode === 'update' ? `Requeued ${result.hostIds.join(', ') || 'the failed hosts'} in campaign ${id}.` : `A new run of campaign ${id} retries ${result.hostIds.join(', ')}.`;
        }}
        onDone={onDone}
      />
    ),
  ].filter(Boolean);
  if (actions.length === 0) return <p className="read-only">Nothing to do here: the campaign {view.running ? 'runs by itself' : 'has ended'}.</p>;
  return (
    <div className="actions" role="group" aria-label="Campaign actions">
      {actions}
    </div>
  );
}
