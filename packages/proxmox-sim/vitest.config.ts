import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'proxmox-sim', testTimeout: 90_000 } });
