import { startSimulator } from './src/index.ts';
import { client } from './test/http.ts';

const sim = await startSimulator({
  port: 0,
  nodes: 3,
  taskDurationMs: 0,
  seed: 1,
  ssh: false,
  seedGuests: 15000,
});
const { call } = client(sim);
for (let i = 0; i < 15; i++) await call('GET', '/cluster/resources');
await sim.close();
