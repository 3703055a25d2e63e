// Regenerate the PNG icons in public/ from public/logo.svg: `npm run icons`.
// The generated PNGs are committed, so a normal build does not need sharp.
import { defineConfig, minimal2023Preset } from '@vite-pwa/assets-generator/config'

export default defineConfig({
  headLinkOptions: { preset: '2023' },
  preset: {
    ...minimal2023Preset,
    maskable: { ...minimal2023Preset.maskable, resizeOptions: { background: '#b3261e' } },
    apple: { ...minimal2023Preset.apple, resizeOptions: { background: '#b3261e' } },
  },
  images: ['public/logo.svg'],
})
