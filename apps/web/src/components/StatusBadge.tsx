// A state in words, on a colour that repeats it (never colour alone).
import { words } from '../format';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{words(status)}</span>;
}
