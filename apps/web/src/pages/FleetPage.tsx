// Every host: build, booted bank, whether it can roll back, its last event and drift;
// filtered by cluster, label and drift (the filter is in the page's address, so it can be
// shared). Refreshed every 10 s.
import { useId } from 'react';
import type { HostSummary } from '../api/types';
import { PageTitle } from '../components/PageTitle';
import { Problem } from '../components/Problem';
import { StatusBadge } from '../components/StatusBadge';
import { TimeText } from '../components/TimeText';
import { useApiData } from '../hooks/useApiData';
import { href, type FleetFilter } from '../router';

const labelsOf = (h: HostSummary) => Object.entries(h.labels).map(([k, v]) => `${k}=${v}`);

export function FleetPage({ filter }: { filter: FleetFilter }) {
  const id = useId();
  const { data, error, loading } = useApiData((api) => api.get<{ hosts: HostSummary[] }>('/hosts'), 'hosts', { refreshMs: 10_000 });
  const hosts = data?.hosts ?? [];
  const clusters = [...new Set(hosts.map((h) => h.cluster))].sort();
  const labels = [...new Set(hosts.flatMap(labelsOf))].sort();
  const shown = hosts.filter(
    (h) => (!filter.cluster || h.cluster === filter.cluster) && (!filter.label || labelsOf(h).includes(filter.label)) && (!filter.drifted || h.banks?.drift),
  );
  const go = (change: Partial<FleetFilter>) => {
    window.location.hash = href.fleet({ ...filter, ...change });
  };
  return (
    <>
      <PageTitle title="Fleet" />
      <Problem error={error} what="Could not read the hosts" />
      <form className="filters" aria-label="Filter the hosts" onSubmit={(e) => e.preventDefault()}>
        <p className="field">
          <label htmlFor={`${id}-cluster`}>Cluster</label>
          <select id={`${id}-cluster`} value={filter.cluster ?? ''} onChange={(e) => go({ cluster: e.target.value || undefined })}>
            <option value="">All clusters</option>
            {clusters.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </p>
        <p className="field">
          <label htmlFor={`${id}-label`}>Label</label>
          <select id={`${id}-label`} value={filter.label ?? ''} onChange={(e) => go({ label: e.target.value || undefined })}>
            <option value="">Any label</option>
            {labels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </p>
        <p className="field checkbox">
          <input id={`${id}-drifted`} type="checkbox" checked={filter.drifted ?? false} onChange={(e) => go({ drifted: e.target.checked || undefined })} />
          <label htmlFor={`${id}-drifted`}>Drifted only</label>
        </p>
        <p className="count" role="status">
          {data ? `${shown.length} of ${hosts.length} hosts shown` : ''}
        </p>
      </form>
      {!data && loading && <p>Reading the hosts…</p>}
      {data && hosts.length === 0 && (
        <p>
          No host in the inventory yet: import one with <code>bankswitch hosts import &lt;inventory.json&gt;</code>.
        </p>
      )}
      {shown.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Hosts</caption>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Cluster</th>
              <th scope="col">Labels</th>
              <th scope="col">Build</th>
              <th scope="col">Booted bank</th>
              <th scope="col">Rollback</th>
              <th scope="col">Standing</th>
              <th scope="col">Last event</th>
              <th scope="col">Drift</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((h) => (
              <HostRow key={h.id} host={h} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function HostRow({ host }: { host: HostSummary }) {
  const b = host.banks;
  return (
    <tr>
      <th scope="row">
        <a href={href.host(host.id)}>{host.id}</a>
        <span className="host-name">{host.name}</span>
      </th>
      <td>{host.cluster}</td>
      <td className="labels">{labelsOf(host).join(', ') || '—'}</td>
      <td className="mono">{b?.bootedBuild ?? 'not seen yet'}</td>
      <td>{b?.bootedBank ?? '—'}</td>
      <td>{b ? (b.canRollBack && b.rollBackTo ? `yes, to ${b.rollBackTo.build}` : 'no') : '—'}</td>
      <td>{b?.standing ? <StatusBadge status={b.standing.state} /> : '—'}</td>
      <td>{b ? <TimeText iso={b.lastEventAt} /> : '—'}</td>
      <td>{b?.drift ? b.drift.map((d) => `${d.subject}: ${d.expected} → ${d.observed}`).join('; ') : 'none'}</td>
    </tr>
  );
}
