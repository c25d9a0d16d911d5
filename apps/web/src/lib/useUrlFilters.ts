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
  return {
    params,
    update,
    offset: Math.max(0, Number(params.get('offset')) || 0),
    /** Go to the page at this offset (0: drop `offset` from the URL). */
    setOffset: (o: number) => update({ offset: o ? String(o) : '' }),
  };
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

/**
 * A list page's URL state: `q` (debounced search box), the named filter keys, and `offset`.
 * `filtered` says whether any of them narrows the list (for the empty state's wording).
 */
export function useListParams<K extends string>(filterKeys: readonly K[] = [], debounceMs?: number) {
  const { params, update, offset, setOffset } = useUrlFilters();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useUrlSearch(q, update, debounceMs);
  const filters = Object.fromEntries(filterKeys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const filtered = Boolean(q) || filterKeys.some((k) => filters[k]);
  return {
    params,
    update,
    offset,
    q,
    search,
    setSearch,
    filters,
    filtered,
    setOffset,
  };
}
