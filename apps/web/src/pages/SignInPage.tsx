// Sign in with an API token. It stays in this tab only (sessionStorage) and goes to the
// API as `Authorization: Bearer`.
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiError } from '../api/client';

export function SignInPage({ onSignIn, notice }: { onSignIn(token: string): Promise<void>; notice?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Bankswitch';
    heading.current?.focus();
  }, []);
  return (
    <main id="main" className="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        Sign in to Bankswitch
      </h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!token.trim()) return setError('Enter your API token.');
          setBusy(true);
          setError(undefined);
          onSignIn(token.trim()).catch((e: ApiError) => {
            setBusy(false);
            setError(e.status === 401 ? 'The API does not know this token (or it was revoked): check the token you were given.' : e.message);
          });
        }}
      >
        <p className="field">
          <label htmlFor={id}>API token</label>
          <input
            id={id}
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-help`}
            aria-invalid={error ? true : undefined}
            required
          />
        </p>
        <p id={`${id}-help`} className="help">
          An operator creates tokens with <code>bankswitch tokens create --name &lt;you&gt; --role operator|auditor</code>. The token is kept in this browser tab
          only, and forgotten when you sign out or close the tab.
        </p>
        {error && (
          <p className="problem" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
