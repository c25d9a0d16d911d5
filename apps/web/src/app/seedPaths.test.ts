import { describe, expect, test } from 'vitest';
import { comingSoonItems } from './nav.ts';
import { redirectTarget, seedPathRedirects } from './seedPaths.ts';

// The console's own pages (router.tsx); a redirect must land on one of them, never on "Page not found".
const builtPages = [
  '/',
  '/compute/instances',
  '/compute/instances/launch',
  '/compute/volumes',
  '/monitoring/audit',
  '/monitoring/metrics',
  '/storage/buckets',
  '/apps',
];

describe('seed page paths', () => {
  test('every path of the product plan that the console names differently redirects to a page', () => {
    expect(Object.keys(seedPathRedirects).sort()).toEqual(
      [
        'dashboard',
        'instances',
        'instances/create',
        'monitoring',
        'monitoring/logs',
        'templates',
        'volumes',
        'volumes/create',
      ].sort(),
    );
    const pages = new Set([...builtPages, ...comingSoonItems.map((i) => i.to)]);
    for (const [from, to] of Object.entries(seedPathRedirects)) {
      expect(pages.has(to), `/${from} → ${to}`).toBe(true);
    }
  });

  test('the plan paths that the console already serves are not redirected', () => {
    // /storage/buckets is the buckets page; /functions is the Functions page (issue 18).
    expect(seedPathRedirects['storage/buckets']).toBeUndefined();
    expect(seedPathRedirects.functions).toBeUndefined();
    expect(comingSoonItems.map((i) => i.to)).not.toContain('/functions');
  });

  test('the query string and fragment come along', () => {
    expect(redirectTarget('/compute/instances', { search: '?status=running', hash: '#top' })).toBe(
      '/compute/instances?status=running#top',
    );
    expect(redirectTarget('/', { search: '', hash: '' })).toBe('/');
  });
});
