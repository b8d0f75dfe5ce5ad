// Builds the PWA: React, and a Workbox service worker that precaches the shell with a navigation
// fallback so every route loads offline. VITRINE_BUILD_ID marks a build (the update e2e makes two).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const buildId = process.env.VITRINE_BUILD_ID ?? new Date().toISOString();

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  build: { outDir: process.env.VITRINE_OUT_DIR ?? 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  plugins: [
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      manifest: {
        name: 'Vitrine — store tablet',
        short_name: 'Vitrine',
        description: 'Offline-first point of sale and clienteling for store tablets',
        theme_color: '#1f3a5f',
        background_color: '#f6f4ef',
        display: 'standalone',
        orientation: 'any',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,wasm}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // The update waits for the person's "Reload" (never mid-sale): no skipWaiting here.
        skipWaiting: false,
        // The first install takes control of the open page at once, so the very first update already waits.
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
});
