// One campaign, live: its state and budget, its hosts by wave, why each failed host
// failed, its event timeline, and (for operators) pause, resume, approve, approve the
// hosts waiting at a pause point, cancel and retry, each confirmed first. Updates arrive from the API's live stream.
import { useState } from 'react';
import type { CampaignTimelineEntry, CampaignView, HostProgress } from '../api/types';
import { commitBarrierLines } from '../commit-barrier';
import { CampaignActions } from '../components/CampaignActions';
import { HostGrid } from '../components/HostGrid';
import { PageTitle } from '../components/PageTitle';
import { Problem } from '../components/Problem';
import { StatusBadge } from '../components/StatusBadge';
import { TimeText } from '../components/TimeText';
import { formatTime, isProblem, plural, words } from '../format';
import { useLiveCampaign } from '../hooks/useLiveCampaign';
import { href } from '../router';
import { useSession } from '../session';

const LIVE_TEXT = { connecting: 'Connecting to live updates…', live: 'Live: this page updates as the campaign changes.', reconnecting: 'Reconnecting to live updates' } as const;

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const { canAct } = useSession();
  const live = useLiveCampaign(campaignId);
  const [message, setMessage] = useState<{ text: string; at: string }>();
  const view = live.view;
  return (
    <>
      <PageTitle title={`Campaign ${campaignId}`} />
      <p className={`live live-${live.state}`} role="status">
        {LIVE_TEXT[live.state]}
        {live.state !== 'live' && live.problem ? `: ${live.problem}` : ''}
      </p>
      {live.error && (
        <>
          <Problem error={live.error} />
          <p>
            Back to the <a href={href.campaigns()}>campaigns</a>.
          </p>
        </>
      )}
      {live.state === 'live' && live.problem && <Problem error={live.problem} what="The API could not read the campaign just now" />}
      {!view && !live.error && <p>Reading the campaign…</p>}
      {view && (
        <>
          <Facts view={view} launch={live.events[0]} />
          {canAct ? (
            <CampaignActions view={view} maxInFlight={maxInFlightOf(live.events[0])} onDone={(text) => setMessage({ text, at: new Date().toISOString() })} />
          ) : (
            <p className="read-only">You are signed in as an auditor: you can follow the campaign but not act on it.</p>
          )}
          {message && (
            <p className="done-message" role="status">
              {formatTime(message.at).slice(11)}: {message.text}
            </p>
          )}
          <div className="columns">
            <div>
              <HostGrid view={view} />
              <FailedHosts hosts={view.progress.hosts.filter(isProblem)} />
            </div>
            <Timeline events={live.events} />
          </div>
        </>
      )}
    </>
  );
}

const maxInFlightOf = (launch: CampaignTimelineEntry | undefined): number | undefined =>
  launch?.type === 'CampaignLaunched' ? (launch.data as { maxInFlight?: number }).maxInFlight : undefined;

function Facts({ view, launch }: { view: CampaignView; launch?: CampaignTimelineEntry }) {
  const p = view.progress;
  const finished = p.hosts.filter((h) => h.status !== 'pending' && h.status !== 'running').length;
  const reasons = [
    p.pauseReason && `Paused: ${p.pauseReason}`,
    p.haltReason && `Halted: ${p.haltReason}`,
    p.cancelReason && `Cancelled: ${p.cancelReason}`,
    p.waitingFor && `Waiting: ${p.waitingFor}`,
    view.note && `Note: ${view.note}`,
  ].filter(Boolean);
  return (
    <section aria-labelledby="facts-title" className="facts">
      <h2 id="facts-title" className="visually-hidden">
        Summary
      </h2>
      <dl>
        <div>
          <dt>State</dt>
          <dd>
            <StatusBadge status={view.status} /> {view.running ? '' : <span className="note">(its workflow has ended)</span>}
          </dd>
        </div>
        <div>
          <dt>Target build</dt>
          <dd className="mono">{view.targetBuild}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd>
            <meter min={0} max={Math.max(p.hosts.length, 1)} value={finished} aria-label="hosts done" /> {finished} / {p.hosts.length} done
          </dd>
        </div>
        <div>
          <dt>In flight</dt>
          <dd>{p.inFlight}</dd>
        </div>
        <div>
          <dt>Failure budget used</dt>
          <dd>
            <meter min={0} max={Math.max(p.failureBudget, 1)} value={p.failed} optimum={0} low={p.failureBudget / 2} high={p.failureBudget - 0.001} aria-label="failure budget used" /> {p.failed} / {p.failureBudget}
          </dd>
        </div>
        {p.awaitingApproval ? (
          <div>
            <dt>Waiting for approval</dt>
            <dd>
              {(['stage', 'reboot', 'commit'] as const)
                .map((point) => `before ${point}: ${p.awaitingApproval?.[point].join(', ') || 'none'}`)
                .join('; ')}
            </dd>
          </div>
        ) : null}
        {p.commitBarrier ? (
          <div>
            <dt>Commit barrier ({p.commitBarrier.scope})</dt>
            <dd>{commitBarrierLines(p).join('; ') || 'no host has verified yet: hosts behind a barrier commit together once all of them verified'}</dd>
          </div>
        ) : null}
        {p.rampUp ? (
          <div>
            <dt>Ramp-up</dt>
            <dd>
              ×{p.rampUp.factor} from {p.rampUp.start} up to {p.rampUp.max} per wave while waves succeed, back to {p.rampUp.start} after a failure; {p.rampUp.unassigned} hosts not yet in a wave
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Started</dt>
          <dd>
            <TimeText iso={view.startedAt} /> by {launch?.operator ?? 'unknown'}
          </dd>
        </div>
      </dl>
      {reasons.map((r) => (
        <p key={r} className="reason">
          {r}
        </p>
      ))}
    </section>
  );
}

function FailedHosts({ hosts }: { hosts: readonly HostProgress[] }) {
  return (
    <section aria-labelledby="failed-title">
      <h2 id="failed-title">Failed hosts</h2>
      {hosts.length === 0 ? (
        <p>None so far.</p>
      ) : (
        <ul className="failed">
          {hosts.map((h) => (
            <li key={h.hostId}>
              <a href={href.host(h.hostId)}>{h.hostId}</a> <StatusBadge status={h.status} />
              {h.cause ? ` (${words(h.cause)})` : ''}: {h.reason ?? 'no reason recorded'}
              {h.settle && <span className="settle"> To settle it: {h.settle}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Events an operator asked for (the others carry the operator the campaign acts for). */
const BY_OPERATOR = new Set(['CampaignLaunched', 'CampaignPaused', 'CampaignResumed', 'CampaignCancelled', 'HostsRequeued', 'HostApproved']);

function Timeline({ events }: { events: readonly CampaignTimelineEntry[] }) {
  return (
    <section aria-labelledby="timeline-title" className="timeline">
      <h2 id="timeline-title">Timeline ({plural(events.length, 'event')}, newest first)</h2>
      <div className="scroll" tabIndex={0} role="region" aria-labelledby="timeline-title">
        <ol reversed>
          {[...events].reverse().map((e) => (
            <li key={e.version}>
              <TimeText iso={e.at} ms /> <strong>{e.type}</strong>
              {e.operator && BY_OPERATOR.has(e.type) ? <span className="by"> by {e.operator}</span> : null}
              <br />
              {e.hostId ? (
                <>
                  <a href={href.host(e.hostId)}>{e.hostId}</a>
                  {e.summary.startsWith(e.hostId) ? e.summary.slice(e.hostId.length) : `: ${e.summary}`}
                </>
              ) : (
                e.summary
              )}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
