/// <reference types="vite/client" />

/** The package version, injected at build time (see web/vite.config.ts). */
declare const __APP_VERSION__: string;
