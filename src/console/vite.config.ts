// Builds the web console into dist/console: hashed assets, no source maps, nothing loaded from elsewhere.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/console/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../../dist/console", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    // Small icons as data: URLs would need a looser CSP; keep every asset a file.
    assetsInlineLimit: 0,
    // Vite's modulepreload polyfill is an inline script in some setups; the CSP allows none.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: "warn",
});
