/**
 * Page addresses from the product plan (and bookmarks made from it) that the console names
 * differently: each one redirects to the console's page for the same thing. Keys are paths without
 * the leading slash, as route paths are written.
 */
export const seedPathRedirects: Readonly<Record<string, string>> = {
  dashboard: '/',
  instances: '/compute/instances',
  'instances/create': '/compute/instances/launch',
  volumes: '/compute/volumes',
  'volumes/create': '/compute/volumes',
  // The monitoring dashboard (metrics) and its audit-log page.
  monitoring: '/monitoring/metrics',
  'monitoring/logs': '/monitoring/audit',
  // The plan's template library is the catalogue of self-hosted apps.
  templates: '/apps',
};

/** Where a redirect goes, keeping the query string and the fragment of the address it came from. */
export function redirectTarget(target: string, from: { search: string; hash: string }): string {
  return `${target}${from.search}${from.hash}`;
}
