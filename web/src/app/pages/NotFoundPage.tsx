import { Link } from 'react-router';
import { Page } from '../Page';

export function NotFoundPage() {
  return (
    <Page title="Page not found" narrow>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to="/">Go to your dashboard</Link>
      </p>
    </Page>
  );
}
