import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: {
    __APP_VERSION__: JSON.stringify('test'),
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  test: {
    environment: 'node',
    setupFiles: ['tests/setup.ts'],
    include: ['tests/**/*.test.ts'],
    // Many tests run the real crypto (PBKDF2 at 600,000 iterations for the PIN and key backups, AES-GCM
    // at rest): seconds of CPU each on a loaded 2-core machine. The timeout only catches a hang; speed
    // is measured in bench/, never here. 5 s (the default) failed under load with no defect behind it.
    testTimeout: 30_000,
  },
})
