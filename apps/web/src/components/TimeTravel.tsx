// A host's banks at any instant (GET /hosts/:id/history?at=): what it ran then and what
// it could have rolled back to.
import { useEffect, useId, useState } from 'react';
import type { HistoryEntry, HostStateView } from '../api/types';
import { formatTime, parseInstant, plural } from '../format';
import { useApiData } from '../hooks/useApiData';
import { BanksTable } from './BanksTable';
import { Problem } from './Problem';
import { TimeText } from './TimeText';

export interface TimeTravelProps {
  readonly hostId: string;
  readonly entries: readonly HistoryEntry[];
  /** ISO 8601; undefined: none chosen yet. */
  readonly instant: string | undefined;
  onInstant(iso: string): void;
}

export function TimeTravel({ hostId, entries, instant, onInstant }: TimeTravelProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const upgrade = [...entries].reverse().find((e) => e.type === 'UpgradeStarted');
  // An instant chosen elsewhere (an event's details) shows in the field too.
  useEffect(() => {
    if (instant) setText(formatTime(instant, { ms: true }));
  }, [instant]);
  const choose = (iso: string) => {
    setInvalid(undefined);
    onInstant(iso);
  };
  return (
    <section aria-labelledby={`${id}-title`} id="time-travel">
      <h2 id={`${id}-title`} tabIndex={-1}>
        Banks at an instant
      </h2>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          const iso = parseInstant(text);
          if (!iso) return setInvalid(`"${text}" is not a time: give a local time such as 2026-11-30 14:05:02.250, or ISO 8601 such as 2026-11-30T13:05:02Z.`);
          choose(iso);
        }}
      >
        <p className="field">
          <label htmlFor={`${id}-at`}>Instant (your local time, or ISO 8601)</label>
          <input
            id={`${id}-at`}
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="2026-11-30 14:05:02"
            autoComplete="off"
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
          />
        </p>
        <button type="submit">Show the banks then</button>
        {upgrade && (
          <button type="button" onClick={() => choose(new Date(new Date(upgrade.at).getTime() - 1).toISOString())}>
            Just before the last upgrade
          </button>
        )}
      </form>
      {invalid && (
        <p id={`${id}-invalid`} className="problem" role="alert">
          {invalid}
        </p>
      )}
      {instant && <BanksThen hostId={hostId} instant={instant} />}
    </section>
  );
}

function BanksThen({ hostId, instant }: { hostId: string; instant: string }) {
  const path = `/hosts/${encodeURIComponent(hostId)}/history?at=${encodeURIComponent(instant)}`;
  const { data, error } = useApiData((api) => api.get<HostStateView>(path), path);
  return (
    <div className="then" aria-live="polite">
      <Problem error={error} what="Could not read the banks then" />
      {data &&
        (data.streamVersion === 0 ? (
          <p>
            At <TimeText iso={data.at} ms />, Bankswitch had not seen this host yet.
          </p>
        ) : (
          <BanksTable
            banks={data}
            caption={`At ${formatTime(data.at, { ms: true })} (${plural(data.streamVersion, 'event')} known then): booted bank ${data.bootedBank ?? '?'} (${data.bootedBuild ?? 'unknown build'})`}
          />
        ))}
    </div>
  );
}
