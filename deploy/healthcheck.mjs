#!/usr/bin/env node
// Container/monitoring health check: exit 0 when the local server answers /readyz with 200.
// Follows the server's own settings (PROXICLOUD_PORT; HTTPS when PROXICLOUD_TLS or _TLS_CERT is
// set — a self-signed certificate is accepted, since this only talks to 127.0.0.1).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const port = Number(process.env.PROXICLOUD_PORT || 8080);
const tlsMode = (process.env.PROXICLOUD_TLS || '').toLowerCase();
const tls = Boolean(process.env.PROXICLOUD_TLS_CERT) || (tlsMode !== '' && tlsMode !== 'off');
const request = tls ? httpsRequest : httpRequest;
const req = request(
  { host: '127.0.0.1', port, path: '/readyz', timeout: 4000, rejectUnauthorized: false },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (err) => {
  console.error(`health check failed: ${err.message}`);
  process.exit(1);
});
req.end();
