import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Alert, Button } from '../components/index.ts';

/** Shown when a route fails to render or its code cannot be loaded (e.g. after an upgrade). */
export function RouteError() {
  const error = useRouteError();
  const chunkFailed =
    error instanceof TypeError &&
    /dynamically imported module|Importing a module script/i.test(error.message);
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : chunkFailed
      ? 'This page could not be loaded. The server may have been upgraded: reload to get the new console.'
      : error instanceof Error
        ? error.message
        : 'Unexpected error.';
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-4 px-4">
      <Alert tone="error" title="Something went wrong on this page.">
        {message}
      </Alert>
      <div className="flex gap-2">
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload
        </Button>
        <Button onClick={() => window.location.assign('/')}>Go to the dashboard</Button>
      </div>
    </main>
  );
}
