import { formatTime } from '../format';

/** An instant in local time, machine-readable in `dateTime` and exact (UTC, ms) on hover. */
export function TimeText({ iso, ms = false }: { iso: string; ms?: boolean }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, { ms })}
    </time>
  );
}
