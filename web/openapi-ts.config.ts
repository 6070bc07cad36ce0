// TypeScript types for the API, generated from the server's OpenAPI document
// (`web/openapi.json`, kept fresh by a server test): `npm run api-types`.
import { defineConfig } from '@hey-api/openapi-ts'

export default defineConfig({
  input: 'openapi.json',
  output: { path: 'src/shared/api-types', clean: true },
  plugins: ['@hey-api/typescript'],
})
