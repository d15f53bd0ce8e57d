// What went wrong, in the API's words, announced to screen readers.
import type { ApiError } from '../api/client';

export function Problem({ error, what }: { error?: ApiError | string; what?: string }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <p className="problem" role="alert">
      {what ? `${what}: ` : ''}
      {message}
    </p>
  );
}
