import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built app is served by the Python package itself (glassnet serve), so it is written straight
// into backend/glassnet/static; in development the API and websocket are proxied to a local server.
const backend = process.env.GLASSNET_DEV_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../backend/glassnet/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: true },
      "/healthz": { target: backend, changeOrigin: true },
      "/ws": { target: backend, ws: true, changeOrigin: true },
    },
  },
});
