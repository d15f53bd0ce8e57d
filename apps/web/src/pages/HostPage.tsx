// One host: where it stands, the image staged last (which trusted key signed it, why a
// downgrade was allowed), its banks now and who can still roll back to what, its bank
// history as a picture with each event's details, its banks at any chosen instant, the
// failed boot's log, and (for operators) rollback, abandon and observe when its banks
// allow them.
import { useState } from 'react';
import type { HistoryEntry, HostSummary } from '../api/types';
import { BankTimeline } from '../components/BankTimeline';
import { BanksTable } from '../components/BanksTable';
import { HostActions } from '../components/HostActions';
import { PageTitle } from '../components/PageTitle';
import { Problem } from '../components/Problem';
import { StatusBadge } from '../components/StatusBadge';
import { TimeText } from '../components/TimeText';
import { TimeTravel } from '../components/TimeTravel';
import { formatTime } from '../format';
import { useApiData } from '../hooks/useApiData';
import { href } from '../router';
import { useSession } from '../session';
import { downgradeText, lastStagedImage, signatureText, stagedImageOf, stagedImageText } from '../staged-image';

interface HostData {
  readonly host: HostSummary;
  readonly entries: readonly HistoryEntry[];
}

export function HostPage({ hostId }: { hostId: string }) {
  const { canAct } = useSession();
  const path = `/hosts/${encodeURIComponent(hostId)}`;
  const { data, error, loading, reload } = useApiData<HostData>(
    async (api) => {
      const [host, history] = await Promise.all([api.get<HostSummary>(path), api.get<{ entries: HistoryEntry[] }>(`${path}/history`)]);
      return { host, entries: history.entries };
    },
    path,
  );
  const [selected, setSelected] = useState<number>();
  const [instant, setInstant] = useState<string>();
  const [message, setMessage] = useState<{ text: string; at: string }>();

  if (!data) {
    return (
      <>
        <PageTitle title={`Host ${hostId}`} />
        <Problem error={error} what="Could not read the host" />
        {loading && <p>Reading the host…</p>}
      </>
    );
  }
  const { host, entries } = data;
  const banks = host.banks;
  const last = entries.at(-1);
  const chosen = selected === undefined ? undefined : entries[selected];
  const failedBoot = [...entries].reverse().find((e) => e.type === 'UpgradeEnded' && ((e.data as { bootLog?: string[] }).bootLog ?? []).length > 0);
  return (
    <>
      <PageTitle title={`Host ${host.id}`} />
      <Problem error={error} what="Could not read the host again" />
      <HostFacts host={host} entries={entries} />
      {canAct ? (
        banks && (
          <HostActions
            host={host}
            onDone={(text) => {
              setMessage({ text, at: new Date().toISOString() });
              reload();
            }}
          />
        )
      ) : (
        <p className="read-only">You are signed in as an auditor: you can read this host&apos;s history but not act on it.</p>
      )}
      {message && (
        <p className="done-message" role="status">
          {formatTime(message.at).slice(11)}: {message.text}
        </p>
      )}
      <section aria-labelledby="history-title">
        <h2 id="history-title">Bank history</h2>
        {entries.length === 0 ? (
          <p>No event yet.</p>
        ) : (
          <>
            <p className="help">
              One step per event, oldest on the left; each lane shows the build and boot state the bank held from that event on. Choose a mark (or focus one and
              use the arrow keys) to see the event.
            </p>
            <BankTimeline hostId={host.id} entries={entries} selected={selected} onSelect={setSelected} />
            {chosen ? (
              <EventDetails
                entry={chosen}
                onTimeTravel={() => {
                  setInstant(chosen.at);
                  document.querySelector<HTMLElement>('#time-travel h2')?.focus();
                }}
              />
            ) : (
              <p className="help">No event chosen.</p>
            )}
          </>
        )}
      </section>
      <div className="columns even">
        <section aria-labelledby="now-title">
          <h2 id="now-title">Banks now</h2>
          {banks && last ? (
            <BanksTable banks={{ ...banks, rollBackReason: last.after.rollBackReason }} caption={`Booted: bank ${banks.bootedBank ?? '?'} (${banks.bootedBuild ?? 'unknown build'})`} />
          ) : (
            <p>Bankswitch has not seen this host yet: its banks are read on its first campaign, or with Observe.</p>
          )}
        </section>
        <TimeTravel hostId={host.id} entries={entries} instant={instant} onInstant={setInstant} />
      </div>
      {failedBoot && (
        <section aria-labelledby="bootlog-title">
          <h2 id="bootlog-title">Failed boot&apos;s log</h2>
          <p>
            <TimeText iso={failedBoot.at} ms />: {failedBoot.summary}
          </p>
          <pre className="log" tabIndex={0} aria-labelledby="bootlog-title">
            {((failedBoot.data as { bootLog: string[] }).bootLog ?? []).join('\n')}
          </pre>
        </section>
      )}
      {entries.length > 0 && <HistoryTable entries={entries} />}
    </>
  );
}

function HostFacts({ host, entries }: { host: HostSummary; entries: readonly HistoryEntry[] }) {
  const banks = host.banks;
  const image = lastStagedImage(entries);
  const standing = banks?.standing;
  const labels = Object.entries(host.labels).map(([k, v]) => `${k}=${v}`);
  return (
    <section aria-labelledby="host-facts" className="facts">
      <h2 id="host-facts" className="visually-hidden">
        Summary
      </h2>
      <dl>
        <div>
          <dt>Name</dt>
          <dd className="mono">{host.name}</dd>
        </div>
        <div>
          <dt>Cluster</dt>
          <dd>
            <a href={href.fleet({ cluster: host.cluster })}>{host.cluster}</a>
          </dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd className="mono">
            {host.address} ({host.driver})
          </dd>
        </div>
        <div>
          <dt>Labels</dt>
          <dd>{labels.length ? labels.join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Standing</dt>
          <dd>{standing ? <StatusBadge status={standing.state} /> : 'not seen yet'}</dd>
        </div>
        <div>
          <dt>Last campaign</dt>
          <dd>{banks?.lastCampaignId ? <a href={href.campaign(banks.lastCampaignId)}>{banks.lastCampaignId}</a> : 'none'}</dd>
        </div>
        {image && (
          <div>
            <dt>Last staged image</dt>
            <dd>{stagedImageText(image)}</dd>
          </div>
        )}
      </dl>
      {standing?.reason && <p className="reason">{standing.reason}</p>}
      {standing?.settle && <p className="reason">To settle it: {standing.settle}</p>}
      {banks?.drift && <p className="reason">Drift found: {banks.drift.map((d) => `${d.subject} expected ${d.expected}, observed ${d.observed}`).join('; ')}</p>}
    </section>
  );
}

function EventDetails({ entry, onTimeTravel }: { entry: HistoryEntry; onTimeTravel(): void }) {
  const image = stagedImageOf(entry);
  return (
    <article className="event-details" aria-labelledby="event-title">
      <h3 id="event-title">
        {entry.type} <span className="note">event {entry.version}</span>
      </h3>
      <p>{entry.summary}</p>
      <dl className="compact">
        <dt>Recorded</dt>
        <dd>
          <TimeText iso={entry.at} ms />
        </dd>
        <dt>Campaign</dt>
        <dd>{entry.campaignId ? <a href={href.campaign(entry.campaignId)}>{entry.campaignId}</a> : '—'}</dd>
        <dt>Operator</dt>
        <dd>{entry.operator ?? '—'}</dd>
        <dt>Workflow</dt>
        <dd className="mono">{entry.workflowId ? `${entry.workflowId}${entry.activity ? ` (${entry.activity})` : ''}` : '—'}</dd>
        {image && (
          <>
            <dt>Signed by</dt>
            <dd>{signatureText(image)}</dd>
            <dt>Downgrade</dt>
            <dd>{downgradeText(image)}</dd>
          </>
        )}
      </dl>
      <button type="button" onClick={onTimeTravel}>
        Show the banks right after this event
      </button>
      <details>
        <summary>Event data</summary>
        <pre className="log">{JSON.stringify(entry.data, null, 2)}</pre>
      </details>
    </article>
  );
}

function HistoryTable({ entries }: { entries: readonly HistoryEntry[] }) {
  return (
    <details className="history-table">
      <summary>Every event as a table</summary>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Recorded</th>
            <th scope="col">Event</th>
            <th scope="col">What happened</th>
            <th scope="col">Campaign</th>
            <th scope="col">Operator</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.version}>
              <td>
                <TimeText iso={e.at} ms />
              </td>
              <td>{e.type}</td>
              <td>{e.summary}</td>
              <td>{e.campaignId ?? '—'}</td>
              <td>{e.operator ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
