/**
 * A small LRU of read results that are valid while a table's version is unchanged. The version
 * comes from the database (a counter bumped by triggers on every write, so writes by other
 * processes or servers count too): read the version first, then the data, and store the data
 * under that version. A write that lands between the two reads only makes the entry look older
 * than it is (the next read sees a newer version and reads again); a cached value is never
 * newer-labelled than the data it holds.
 *
 * Values are frozen when stored: every caller gets the same object.
 */
export class VersionedCache<T extends object> {
  private readonly entries = new Map<string, { version: string; value: T }>();

  constructor(private readonly max = 16) {}

  get(key: string, version: string): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.version !== version) return undefined;
    this.entries.set(key, hit); // most recently used goes last
    return hit.value;
  }

  set(key: string, version: string, value: T): T {
    if (version === '') return value; // no version known: never cache
    deepFreeze(value);
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) deepFreeze(v);
  }
}
