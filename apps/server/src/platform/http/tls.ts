/**
 * HTTPS material for the console/API listener and the S3 listener (config.tls):
 * - files: the operator's PEM certificate (chain) and key, read at start;
 * - self-signed: generated once into <dataDir>/tls/ (key 0600) and reused on every start, so the
 *   fingerprint users pinned stays valid; its SHA-256 fingerprint is logged at every start.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex (as browsers and `openssl x509 -fingerprint` show it). */
  fingerprint256: string;
  selfSigned: boolean;
}

export function selfSignedPaths(dataDir: string): { cert: string; key: string } {
  return {
    cert: join(dataDir, 'tls', 'self-signed-cert.pem'),
    key: join(dataDir, 'tls', 'self-signed-key.pem'),
  };
}

async function generateSelfSigned(dataDir: string): Promise<{ cert: string; key: string }> {
  const host = hostname();
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 5 * 365 * 86400 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: host },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  } as Parameters<typeof generate>[1]);
  return { cert: pems.cert, key: pems.private };
}

/** The TLS material for config.tls (null = plain HTTP). Throws with a message naming the file. */
export async function loadTls(config: Config, logger: Logger): Promise<TlsMaterial | null> {
  const tls = config.tls;
  if (!tls) return null;
  let cert: string;
  let key: string;
  if (tls.mode === 'files') {
    try {
      cert = readFileSync(tls.certFile, 'utf8');
      key = readFileSync(tls.keyFile, 'utf8');
    } catch (err) {
      throw new Error(`TLS: cannot read the certificate or key: ${(err as Error).message}`);
    }
  } else {
    const paths = selfSignedPaths(config.dataDir);
    if (existsSync(paths.cert) && existsSync(paths.key)) {
      cert = readFileSync(paths.cert, 'utf8');
      key = readFileSync(paths.key, 'utf8');
    } else {
      ({ cert, key } = await generateSelfSigned(config.dataDir));
      mkdirSync(join(config.dataDir, 'tls'), { recursive: true, mode: 0o700 });
      writeFileSync(paths.key, key, { mode: 0o600 });
      chmodSync(paths.key, 0o600);
      writeFileSync(paths.cert, cert, { mode: 0o644 });
      logger.info({ cert: paths.cert }, 'generated a self-signed TLS certificate');
    }
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`TLS: the certificate is not valid PEM: ${(err as Error).message}`);
  }
  const material = { cert, key, fingerprint256: x509.fingerprint256, selfSigned: tls.mode === 'self-signed' };
  if (material.selfSigned) {
    logger.warn(
      { fingerprint256: material.fingerprint256, validTo: x509.validTo },
      `HTTPS with a self-signed certificate: browsers will warn; check that the fingerprint they show is SHA-256 ${material.fingerprint256}`,
    );
  } else {
    logger.info(
      { subject: x509.subject, validTo: x509.validTo, fingerprint256: material.fingerprint256 },
      'HTTPS enabled',
    );
  }
  return material;
}
