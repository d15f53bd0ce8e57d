// Every campaign, newest first: state, build, progress, who started it and when.
// Refreshed every 5 s.
import type { CampaignLaunch, CampaignView } from '../api/types';
import { PageTitle } from '../components/PageTitle';
import { Problem } from '../components/Problem';
import { StatusBadge } from '../components/StatusBadge';
import { TimeText } from '../components/TimeText';
import { useApiData } from '../hooks/useApiData';
import { href } from '../router';

interface Listing {
  readonly campaigns: readonly CampaignView[];
  readonly launchedBy: ReadonlyMap<string, string | null>;
}

const done = (c: CampaignView) => c.progress.hosts.filter((h) => h.status !== 'pending' && h.status !== 'running').length;

export function CampaignsPage() {
  const { data, error, loading } = useApiData<Listing>(
    async (api) => {
      const [{ campaigns }, { launches }] = await Promise.all([
        api.get<{ campaigns: CampaignView[] }>('/campaigns'),
        api.get<{ launches: CampaignLaunch[] }>('/campaign-launches'),
      ]);
      return { campaigns, launchedBy: new Map(launches.map((l) => [l.campaignId, l.launchedBy])) };
    },
    'campaigns',
    { refreshMs: 5_000 },
  );
  return (
    <>
      <PageTitle title="Campaigns" />
      <Problem error={error} what="Could not read the campaigns" />
      {!data && loading && <p>Reading the campaigns…</p>}
      {data && data.campaigns.length === 0 && <p>No campaign has been launched yet. Launch one with <code>bankswitch campaign launch &lt;spec.yaml&gt;</code>.</p>}
      {data && data.campaigns.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">Campaigns, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">State</th>
              <th scope="col">Target build</th>
              <th scope="col">Progress</th>
              <th scope="col">Failed / budget</th>
              <th scope="col">Started by</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((c) => {
              const total = c.progress.hosts.length;
              return (
                <tr key={c.campaignId}>
                  <th scope="row">
                    <a href={href.campaign(c.campaignId)}>{c.campaignId}</a>
                  </th>
                  <td>
                    <StatusBadge status={c.status} />
                    {c.note && <span className="note"> {c.note}</span>}
                  </td>
                  <td className="mono">{c.targetBuild}</td>
                  <td>
                    <meter min={0} max={Math.max(total, 1)} value={done(c)} aria-label={`${c.campaignId}: ${done(c)} of ${total} hosts done`} />{' '}
                    {done(c)} / {total} done{c.progress.inFlight > 0 ? `, ${c.progress.inFlight} in flight` : ''}
                  </td>
                  <td>
                    {c.progress.failed} / {c.progress.failureBudget}
                  </td>
                  <td>{data.launchedBy.get(c.campaignId) ?? 'unknown'}</td>
                  <td>
                    <TimeText iso={c.startedAt} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
