import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebounced } from './useDebounced.ts';

/**
 * A list page's filters in the URL. `update({ key: value })` sets (or, for '', removes) the keys,
 * replaces the history entry, and goes back to the first page unless `offset` is part of the patch.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const update = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
        if (!('offset' in patch)) next.delete('offset');
        return next;
      },
      { replace: true },
    );
  return { params, update, offset: Math.max(0, Number(params.get('offset')) || 0) };
}

/** A search box whose trimmed, debounced text is kept in the URL's `q`. */
export function useUrlSearch(q: string, update: (patch: Record<string, string>) => void, ms?: number) {
  const [search, setSearch] = useState(q);
  const debounced = useDebounced(search.trim(), ms);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text drives the URL
  useEffect(() => {
    if (debounced !== q) update({ q: debounced });
  }, [debounced]);
  return [search, setSearch] as const;
}
