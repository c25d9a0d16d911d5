import type { ObjectSummary } from '../api.ts';

export type SortKey = 'name' | 'size' | 'modified' | 'type';
/** A row of the object table: a folder (common prefix) or an object. */
export type Row = { kind: 'folder'; key: string } | ({ kind: 'object' } & ObjectSummary);
