import { Writable } from 'node:stream';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/**
 * Paths pino censors wherever they appear (two levels deep). Fastify's request serializer does
 * not log headers or bodies at all; this list is the second line of defence for anything a
 * module passes to the logger by mistake.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...[
    'password',
    'currentPassword',
    'newPassword',
    'adminPassword',
    'token',
    'accessToken',
    'refreshToken',
    'secret',
    'secretAccessKey',
    'jwtSecret',
    'masterKey',
    'authorization',
    'cookie',
    'passwordHash',
  ].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

const LEVEL_TAGS: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};

/**
 * Human-readable log lines for a person watching a terminal (`npm start`): `HH:MM:SS LEVEL message
 * key=value …`. It formats pino's already-redacted JSON, so it sees exactly what the JSON log would.
 * Multi-line messages (the first-run banner) are printed as they are.
 */
export function prettyDestination(out: NodeJS.WritableStream = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        let rec: Record<string, unknown>;
        try {
          rec = JSON.parse(line) as Record<string, unknown>;
        } catch {
          out.write(`${line}\n`);
          continue;
        }
        const { level, time, msg, service: _service, ...rest } = rec;
        const clock = typeof time === 'string' ? time.slice(11, 19) : '';
        const extras = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(
          `${clock} ${LEVEL_TAGS[String(level)] ?? String(level)} ${msg ?? ''}${extras ? ` ${extras}` : ''}\n`,
        );
      }
      done();
    },
  });
}

/** JSON lines by default; readable lines on a terminal unless PROXICLOUD_LOG_FORMAT=json. */
function defaultDestination(): DestinationStream | undefined {
  const format = process.env.PROXICLOUD_LOG_FORMAT;
  if (format === 'pretty' || (format !== 'json' && process.stdout.isTTY)) return prettyDestination();
  return undefined;
}

export function createLogger(
  level: LogLevel,
  destination: DestinationStream | undefined = defaultDestination(),
): Logger {
  return pino(
    {
      level,
      base: { service: 'proxicloud' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
