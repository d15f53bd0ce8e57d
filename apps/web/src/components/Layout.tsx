// Every signed-in page: a skip link, the header with the main navigation and who is
// signed in, and the page itself in <main>.
import type { ReactNode } from 'react';
import { href, useRoute } from '../router';
import { useSession } from '../session';

export function Layout({ children }: { children: ReactNode }) {
  const { principal, signOut } = useSession();
  const route = useRoute();
  const section = route.page === 'fleet' || route.page === 'host' ? 'fleet' : 'campaigns';
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to the page
      </a>
      <header className="top">
        <a className="brand" href={href.campaigns()}>
          Bankswitch
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href={href.campaigns()} aria-current={section === 'campaigns' ? 'page' : undefined}>
                Campaigns
              </a>
            </li>
            <li>
              <a href={href.fleet()} aria-current={section === 'fleet' ? 'page' : undefined}>
                Fleet
              </a>
            </li>
          </ul>
        </nav>
        <p className="who">
          Signed in as <strong>{principal.name}</strong> ({principal.role}
          {principal.role === 'auditor' ? ': read only' : ''})
        </p>
        <button type="button" onClick={() => signOut('Signed out.')}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
