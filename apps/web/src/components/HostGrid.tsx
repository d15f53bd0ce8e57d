// A campaign's hosts, wave by wave: one tile per host, coloured by its state and saying
// it in words, each a link to the host's page.
import type { CampaignView } from '../api/types';
import { words } from '../format';
import { href } from '../router';
import { StatusBadge } from './StatusBadge';

export function HostGrid({ view }: { view: CampaignView }) {
  const p = view.progress;
  return (
    <section aria-labelledby="hosts-title">
      <h2 id="hosts-title">Hosts by wave</h2>
      {p.waves.map((wave) => {
        const hosts = p.hosts.filter((h) => h.wave === wave.index);
        const title = wave.kind === 'canary' ? `Canary (wave ${wave.index})` : `Wave ${wave.index}`;
        const counts = Object.entries(wave.counts)
          .map(([status, n]) => `${n} ${words(status)}`)
          .join(', ');
        return (
          <div key={wave.index} className="wave">
            <h3>
              {title}
              {wave.index === p.wave && view.running ? ' (current)' : ''} <span className="counts">{counts}</span>
            </h3>
            <ul className="host-grid" aria-label={title}>
              {hosts.map((h) => (
                <li key={h.hostId} className={`tile status-${h.status}`}>
                  <a href={href.host(h.hostId)}>
                    <span className="tile-name">{h.hostId}</span>
                    <StatusBadge status={h.status} />
                    <span className="tile-meta">
                      {h.cluster}
                      {h.attempts > 1 ? ` · attempt ${h.attempts}` : ''}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
