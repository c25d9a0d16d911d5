/**
 * The three ways a notification leaves the server: SMTP (nodemailer), a signed JSON webhook and an
 * ntfy/Gotify-style push. Each returns the HTTP status (webhook, push) or throws a DeliveryError
 * that says whether another attempt could help.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { guardedLookup, refusal, TargetRefusedError } from './notifications.targets.ts';

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseStatus: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'none' | 'starttls' | 'tls';
  username: string | null;
  password: string | null;
  from: string;
  timeoutSeconds: number;
  allowSelfSigned: boolean;
}

export interface OutgoingMessage {
  deliveryId: string;
  event: string;
  subject: string;
  body: string;
  data: Record<string, unknown>;
  channel: { id: string; name: string };
  timestamp: string;
}

/** `sha256=<hex>` HMAC of the exact request body — what receivers compare (constant time). */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendEmail(
  smtp: SmtpSettings,
  to: readonly string[],
  msg: OutgoingMessage,
): Promise<void> {
  const ms = smtp.timeoutSeconds * 1000;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    tls: { rejectUnauthorized: !smtp.allowSelfSigned },
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: [...to],
      subject: msg.subject,
      text: `${msg.body}\n\n-- \nProxiCloud · ${msg.event} · ${msg.timestamp}`,
      headers: { 'X-ProxiCloud-Event': msg.event, 'X-ProxiCloud-Delivery': msg.deliveryId },
    });
  } catch (e) {
    const err = e as { code?: string; responseCode?: number; message?: string };
    // 5xx answers are permanent (bad recipient, auth refused); timeouts and 4xx may pass later
    const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
    throw new DeliveryError(
      `SMTP: ${err.code ? `${err.code} ` : ''}${(err.message ?? 'send failed').slice(0, 300)}`,
      !permanent,
    );
  } finally {
    transport.close();
  }
}

export interface HttpTarget {
  url: string;
  allowPrivate: boolean;
  timeoutMs: number;
}

/** POST with the SSRF guard on every connection, no redirects followed, bounded time and answer. */
export function postGuarded(
  target: HttpTarget,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusal(host, target.allowPrivate);
    if (why) return Promise.reject(new DeliveryError(`refused: ${why}`, false));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'ProxiCloud-Notifications/1',
        },
        lookup: guardedLookup(target.allowPrivate) as never,
        timeout: target.timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => {
          if (status >= 200 && status < 300) return resolve(status);
          const retryable = status === 408 || status === 429 || status >= 500;
          const why = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
          reject(new DeliveryError(`HTTP ${status}${why}`, retryable, status));
        });
        res.on('error', (e) => reject(new DeliveryError(e.message, true, status)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${target.timeoutMs} ms`)));
    req.on('error', (e) => {
      const refused = e instanceof TargetRefusedError;
      reject(new DeliveryError(refused ? `refused: ${e.message}` : e.message, !refused));
    });
    req.end(body);
  });
}

export function webhookRequest(
  msg: OutgoingMessage,
  secret: string | null,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    id: msg.deliveryId,
    event: msg.event,
    subject: msg.subject,
    body: msg.body,
    data: msg.data,
    channel: msg.channel,
    timestamp: msg.timestamp,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-proxicloud-event': msg.event,
    'x-proxicloud-delivery': msg.deliveryId,
  };
  if (secret) headers['x-proxicloud-signature'] = signature(secret, body);
  return { headers, body };
}

/** ntfy: plain-text body with a Title header and a Bearer token; Gotify: JSON with X-Gotify-Key. */
export function pushRequest(
  msg: OutgoingMessage,
  format: 'ntfy' | 'gotify',
  token: string | null,
): { headers: Record<string, string>; body: string } {
  if (format === 'gotify') {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['x-gotify-key'] = token;
    return { headers, body: JSON.stringify({ title: msg.subject, message: msg.body, priority: 5 }) };
  }
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    // header values must be Latin-1: ntfy decodes RFC 2047 for anything else
    title: /^[\x20-\x7e]*$/.test(msg.subject)
      ? msg.subject
      : `=?UTF-8?B?${Buffer.from(msg.subject).toString('base64')}?=`,
    tags: msg.event.replace(/[^A-Za-z0-9_.-]/g, '_'),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return { headers, body: msg.body };
}
