// Who is signed in: the token (kept in this tab's sessionStorage only, gone when the tab
// closes), the principal the API says it speaks for, and the API client using it.
import { createContext, useContext } from 'react';
import type { Api } from './api/client';
import type { Principal } from './api/types';

const KEY = 'bankswitch.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(KEY);

export interface Session {
  readonly token: string;
  readonly principal: Principal;
  readonly api: Api;
  /** Operators may act; auditors only read (the API refuses their actions anyway). */
  readonly canAct: boolean;
  signOut(message?: string): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
