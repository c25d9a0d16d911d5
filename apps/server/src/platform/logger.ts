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

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
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
