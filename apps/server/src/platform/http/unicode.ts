/**
 * Well-formed Unicode for everything a request carries as text: a lone UTF-16 surrogate
 * (`"\ud800"` in JSON) is not a character, cannot be stored faithfully (SQLite, PostgreSQL and
 * UTF-8 turn it into U+FFFD or refuse it) and is refused with 400 before any route sees it.
 */
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean })
  .isWellFormed;

/** The path (`body.fullName`, `query.q`, `body.tags[2]`) of the first ill-formed string, or null. */
export function findIllFormed(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isWellFormed.call(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findIllFormed(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  // Plain parsed objects only (JSON bodies, query and params): not Buffers or streams.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  for (const key in value) {
    if (!isWellFormed.call(key)) return `${path} (a field name)`;
    const hit = findIllFormed((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}
