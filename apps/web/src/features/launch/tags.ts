// The server also allows "=" in keys; here "=" separates key and value.
const TAG_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:/+@-]{0,63}$/;

/** "key=value" lines (blank lines ignored, a bare key has an empty value) into the API's tags map. */
export function parseTags(text: string): { tags: Record<string, string>; error: string | null } {
  const tags: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const k = (eq < 0 ? line : line.slice(0, eq)).trim();
    const v = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (!TAG_KEY.test(k)) return { tags, error: `"${k}" is not a valid tag key.` };
    if (v.length > 256) return { tags, error: `The value of "${k}" is longer than 256 characters.` };
    tags[k] = v;
  }
  if (Object.keys(tags).length > 20) return { tags, error: 'At most 20 tags.' };
  return { tags, error: null };
}
