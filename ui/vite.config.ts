import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

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
    // Two tiers, one `vitest run`: pure logic in Node, and the views rendered in a DOM (jsdom)
    // over the FakeBackend (`*.component.test.ts`, see src/test/setup.ts).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.component.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [svelteTesting()],
        test: {
          name: 'component',
          environment: 'jsdom',
          // Worker threads start faster than forked processes; each file still gets its own DOM.
          pool: 'threads',
          include: ['src/**/*.component.test.ts'],
          setupFiles: ['src/test/setup.ts'],
        },
      },
    ],
  },
});
