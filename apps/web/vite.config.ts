import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server serves `dist/` with an SPA fallback. In development `vite` serves the console and
// proxies the API to a server started separately (default http://127.0.0.1:8080).
const apiTarget = process.env.PROXICLOUD_API_URL ?? 'http://127.0.0.1:8080';

const chartLibraries =
  /[\\/]node_modules[\\/](recharts|victory-vendor|d3-[a-z-]+|internmap|decimal\.js-light|@reduxjs|redux|redux-thunk|react-redux|reselect|immer|es-toolkit|eventemitter3|tiny-invariant|use-sync-external-store|react-is|clsx)[\\/]/;

// noVNC and xterm.js load with the console page only (their own chunks, not the vendor chunk).
const consoleLibraries = /[\\/]node_modules[\\/](@novnc|@xterm)[\\/]/;
// React Flow loads with /monitoring/health only.
const graphLibraries = /[\\/]node_modules[\\/](@xyflow|zustand|classcat)[\\/]/;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    port: 5173,
    proxy: {
      // ws: the console websockets (/api/v1/console/ws) go through too
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
      '/healthz': apiTarget,
      '/readyz': apiTarget,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // The vendor chunk (react-dom, router, react-query) is ~350 kB minified, ~110 kB gzip.
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // Libraries change less often than the console: a separate chunk stays cached across upgrades.
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              // The chart library (and what only it uses) stays out: it loads with the instance page's
              // Metrics tab, in that tab's own chunk, not with every page.
              test: (id) =>
                /[\\/]node_modules[\\/]/.test(id) &&
                !chartLibraries.test(id) &&
                !consoleLibraries.test(id) &&
                !graphLibraries.test(id),
            },
          ],
        },
      },
    },
  },
});
