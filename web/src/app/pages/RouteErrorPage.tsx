import { useEffect } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { reportError } from '../../lib/errorTracking';
import { Page } from '../Page';

/**
 * Shown when a page fails to render; a full reload is the most likely fix. The failure is
 * reported to the error tracker, if one is configured (a route's 404 is not a failure).
 */
export function RouteErrorPage() {
  const error = useRouteError();
  useEffect(() => {
    if (!isRouteErrorResponse(error)) reportError(error);
  }, [error]);
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
