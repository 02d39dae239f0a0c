import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// Built into the API's package (app/workbench/static, git-ignored), served at /workbench/.
export default defineConfig({
  base: '/workbench/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../app/workbench/static', import.meta.url)),
    emptyOutDir: true,
    // No inline module-preload polyfill: the page runs under a CSP without 'unsafe-inline'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
