// The dashboard: sign in with a token, then the pages behind a header that says who is
// signed in. The token is checked with GET /me, which also gives the role.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApi, type ApiError } from './api/client';
import type { Principal } from './api/types';
import { Layout } from './components/Layout';
import { CampaignPage } from './pages/CampaignPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { FleetPage } from './pages/FleetPage';
import { HostPage } from './pages/HostPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { useRoute, type Route } from './router';
import { SessionContext, forgetToken, storeToken, storedToken, type Session } from './session';

type SignedIn = { token: string; principal: Principal };

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn>();
  const [checking, setChecking] = useState(() => storedToken() !== null);
  const [notice, setNotice] = useState<string>();

  const signOut = useCallback((message?: string) => {
    forgetToken();
    setSignedIn(undefined);
    setNotice(message);
  }, []);

  /** Resolves when the API accepted the token; rejects with its refusal. */
  const signIn = useCallback(async (token: string) => {
    const principal = await createApi(token).get<Principal>('/me');
    storeToken(token);
    setNotice(undefined);
    setSignedIn({ token, principal });
  }, []);

  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    signIn(token)
      .catch((error: ApiError) => signOut(error.status === 401 ? 'The token this tab had is no longer accepted: sign in again.' : error.message))
      .finally(() => setChecking(false));
  }, [signIn, signOut]);

  const session = useMemo<Session | undefined>(() => {
    if (!signedIn) return undefined;
    const api = createApi(signedIn.token, (error) => signOut(`Signed out: ${error.message}`));
    return { ...signedIn, api, canAct: signedIn.principal.role === 'operator', signOut };
  }, [signedIn, signOut]);

  if (checking) return <p className="checking">Checking your token…</p>;
  if (!session) return <SignInPage onSignIn={signIn} notice={notice} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <Page />
      </Layout>
    </SessionContext.Provider>
  );
}

function Page() {
  const route = useRoute();
  return pageFor(route);
}

function pageFor(route: Route) {
  switch (route.page) {
    case 'campaigns':
      return <CampaignsPage />;
    case 'campaign':
      return <CampaignPage key={route.id} campaignId={route.id} />;
    case 'host':
      return <HostPage key={route.id} hostId={route.id} />;
    case 'fleet':
      return <FleetPage filter={route} />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}
