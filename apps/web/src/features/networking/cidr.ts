/** Live CIDR checks and the usable-address preview of the create-network form (mirrors the server's rules). */
const ip = (t: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.some((x) => x > 255) ? null : ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
};
const txt = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export type CidrPreview =
  | { ok: true; network: string; first: string; last: string; usable: number; gateway: string }
  | { ok: false; error: string };

export function previewCidr(text: string): CidrPreview {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  const net = m ? ip(m[1]!) : null;
  const bits = m ? Number(m[2]) : Number.NaN;
  if (!m || net === null || bits > 32) return { ok: false, error: 'Use an IPv4 CIDR like 10.20.0.0/24.' };
  if (bits < 8 || bits > 29) return { ok: false, error: 'Use a prefix from /8 to /29.' };
  const size = 2 ** (32 - bits);
  if (net % size !== 0)
    return { ok: false, error: `Host bits are set: did you mean ${txt(net - (net % size))}/${bits}?` };
  return {
    ok: true,
    network: `${txt(net)}/${bits}`,
    first: txt(net + 1),
    last: txt(net + size - 2),
    usable: size - 2,
    gateway: txt(net + 1),
  };
}

export function gatewayProblem(cidr: string, gw: string): string | null {
  if (!gw) return null;
  const p = previewCidr(cidr);
  const g = ip(gw);
  if (!p.ok) return null;
  if (g === null) return 'Not an IPv4 address.';
  const [a, b] = p.network.split('/');
  const net = ip(a!)!;
  const size = 2 ** (32 - Number(b));
  if (g <= net || g >= net + size - 1) return `Must be a usable address of ${p.network}.`;
  return null;
}
