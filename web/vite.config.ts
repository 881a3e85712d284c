import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const api = 'http://127.0.0.1:4800';

export default defineConfig({
  root: webDir,
  publicDir: `${webDir}public`,
  plugins: [react()],
  define: {
    // Busts the persisted query cache whenever a new version ships.
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  build: {
    outDir: `${repoDir}dist/web`,
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /node_modules[\\/]react-router[\\/]/ },
            { name: 'query', test: /node_modules[\\/](@tanstack|idb-keyval)[\\/]/ },
            { name: 'validation', test: /node_modules[\\/](zod|libphonenumber-js)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': api, '/health': api, '/ready': api },
  },
  preview: {
    proxy: { '/api': api, '/health': api, '/ready': api },
  },
});
