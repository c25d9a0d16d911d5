#!/usr/bin/env node
// Entry shim for the `proxicloud` CLI. The CLI ships as TypeScript source (no build step, see
// docs/architecture.md): register tsx's ESM loader, then hand over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
