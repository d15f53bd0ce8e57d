import { PageTitle } from '../components/PageTitle';
import { href } from '../router';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <>
      <PageTitle title="No such page" />
      <p>
        There is no page at <code>{path}</code>. Go to the <a href={href.campaigns()}>campaigns</a> or the <a href={href.fleet()}>fleet</a>.
      </p>
    </>
  );
}
