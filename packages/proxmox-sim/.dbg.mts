import { startSimulator } from './src/index.ts';
import { client } from './test/http.ts';

const sim = await startSimulator({ port: 0, taskDurationMs: 0, ssh: false });
const { call } = client(sim);
const a = await call<{ ticket: string }>(
  'POST',
  '/access/ticket',
  { username: 'root@pam', password: sim.password },
  { anonymous: true },
);
console.log(a.status, a.body.data.ticket);
const b = await call(
  'POST',
  '/access/ticket',
  { username: 'root@pam', password: a.body.data.ticket },
  { anonymous: true },
);
console.log(b.status, b.raw.slice(0, 200));
await sim.close();
