import type { ObjectSummary } from '../api.ts';

export type SortKey = 'name' | 'size' | 'modified' | 'type';
/** A row of the object table: a folder (common prefix) or an object. */
export type Row = { kind: 'folder'; key: string } | ({ kind: 'object' } & ObjectSummary);

/** Folders first, then objects, each sorted by the chosen column (folders by name only). */
export function sortRows(folders: Row[], objects: Row[], sort: { key: SortKey; dir: 1 | -1 }): Row[] {
  const cmp = (a: Row, b: Row): number => {
    const s = sort.dir;
    if (sort.key === 'name') return a.key < b.key ? -s : a.key > b.key ? s : 0;
    if (a.kind === 'folder' || b.kind === 'folder') return a.key < b.key ? -1 : 1;
    if (sort.key === 'size') return (a.size - b.size) * s || (a.key < b.key ? -1 : 1);
    if (sort.key === 'type')
      return a.contentType.localeCompare(b.contentType) * s || (a.key < b.key ? -1 : 1);
    return (a.lastModified < b.lastModified ? -1 : a.lastModified > b.lastModified ? 1 : 0) * s;
  };
  return [...folders.sort(cmp), ...objects.sort(cmp)];
}
