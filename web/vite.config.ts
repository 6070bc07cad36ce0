import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { viteStaticCopy } from 'vite-plugin-static-copy'
import { resolve } from 'node:path'

// One page per terminal; the Rust server embeds dist/ and serves /<terminal>/.
const terminals = ['admin', 'counter', 'reception', 'kiosk', 'screen', 'mobile', 'dashboard', 'learn']

export default defineConfig({
  plugins: [
    vue(),
    // pdf.js's character maps and standard fonts, served from our own origin:
    // Chinese PDFs that do not embed their fonts (common from Word) need them.
    viteStaticCopy({
      targets: [
        { src: 'node_modules/pdfjs-dist/cmaps/*', dest: 'pdfjs/cmaps', rename: { stripBase: true } },
        { src: 'node_modules/pdfjs-dist/standard_fonts/*', dest: 'pdfjs/standard_fonts', rename: { stripBase: true } },
      ],
    }),
  ],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: Object.fromEntries([
        ['portal', resolve(import.meta.dirname, 'index.html')],
        ...terminals.map((t) => [t, resolve(import.meta.dirname, `${t}/index.html`)]),
      ]),
    },
  },
  server: {
    // `npm run dev` against a server started with `cargo run -- serve --demo`.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
})
