import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is served by Tauri from ui/dist (tauri.conf.json `build.frontendDist`).
// No inline scripts: the CSP allows scripts from 'self' only.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari15',
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
