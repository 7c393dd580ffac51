import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The agent workspace is served by the CareDesk server at `/` with an SPA
// fallback, so assets are referenced from the absolute `/assets/` path.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
