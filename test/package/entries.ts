import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** An entry point of package.json `exports`: its key (`.`, `./http`) and the source file behind it. */
export interface Entry {
  readonly key: string
  /** `http` for `./http`, `''` for the root. */
  readonly subpath: string
  /** The absolute path of its `src/…/index.ts`. */
  readonly source: string
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { default: string }>
}

/** Every entry point of package.json `exports`, so a test over them checks a new one unlisted. */
export const entries: readonly Entry[] = Object.entries(pkg.exports)
  .filter(([key]) => key !== './package.json')
  .map(([key, value]) => {
    const dist = typeof value === 'string' ? value : value.default
    const source = dist.replace(/^\.\/dist\//, '../../src/').replace(/\.js$/, '.ts')
    return { key, subpath: key.slice(2), source: fileURLToPath(new URL(source, import.meta.url)) }
  })
