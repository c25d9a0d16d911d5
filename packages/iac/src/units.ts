/** Sizes in files: numbers are already in the field's unit; text may carry one (binary: G = GB = GiB). */
const FACTORS_MIB: Record<string, number> = {
  K: 1 / 1024,
  M: 1,
  G: 1024,
  T: 1024 * 1024,
  P: 1024 * 1024 * 1024,
};

function toMiB(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTP])?(?:i?B)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? '').toUpperCase();
  return Number(m[1]) * (unit ? (FACTORS_MIB[unit] as number) : Number.NaN);
}

/** GiB from `20`, `"20GB"`, `"20GiB"`, `"1TiB"`; null when it cannot be read or is not whole. */
export function parseGiB(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const mib = toMiB(value);
  if (mib === null || Number.isNaN(mib)) return null;
  const gib = mib / 1024;
  return Number.isInteger(gib) && gib > 0 ? gib : null;
}

/** MiB from `2048`, `"2048MiB"`, `"2GiB"`, `"2GB"`. */
export function parseMiB(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const mib = toMiB(value);
  return mib !== null && Number.isInteger(mib) && mib > 0 ? mib : null;
}
