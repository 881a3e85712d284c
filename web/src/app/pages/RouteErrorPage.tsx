import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Page } from '../Page';

/** Shown when a page fails to render; a full reload is the most likely fix. */
export function RouteErrorPage() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : null;
  return (
    <main id="main" className="site-main">
      <Page title="Something went wrong" narrow>
        <p>Rally Connect hit an unexpected problem showing this page.</p>
        {detail ? <p className="muted">{detail}</p> : null}
        <p>
          <a href="/">Reload Rally Connect</a>
        </p>
      </Page>
    </main>
  );
}
