import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The naming rule of CONTRIBUTING.md, for every entry point in package.json `exports`.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { default: string }>
}
const subpaths = Object.keys(pkg.exports)
  .filter((key) => key !== '.' && key !== './package.json')
  .map((key) => key.slice(2))

/** The library's own concerns: their components are plain nouns, not `<subpath><Thing>`. */
const OWN = ['health', 'workers', 'otel', 'testing', 'report']
/** Functions of an integration subpath that are helpers, not component factories. */
const HELPERS: Record<string, readonly string[]> = { http: ['requestSignal'] }

async function load(subpath: string): Promise<Record<string, unknown>> {
  const entry = pkg.exports[`./${subpath}`] as { default: string }
  const source = entry.default.replace(/^\.\/dist\//, '../../src/').replace(/\.js$/, '.ts')
  return (await import(source)) as Record<string, unknown>
}

const camel = (subpath: string): string => subpath.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

describe('public names follow one rule', () => {
  it.each(subpaths.filter((subpath) => !OWN.includes(subpath)))(
    '/%s: every factory is `<subpath><Thing>`',
    async (subpath) => {
      const entry = await load(subpath)
      const factories = Object.entries(entry)
        .filter(([name, value]) => typeof value === 'function' && !HELPERS[subpath]?.includes(name))
        .map(([name]) => name)
      expect(factories.length).toBeGreaterThan(0)
      for (const name of factories) expect(name).toMatch(new RegExp(`^${camel(subpath)}[A-Z]`))
    },
  )

  it.each(subpaths)(
    '/%s exports no defaults object of its own (one DEFAULTS, at the root)',
    async (subpath) => {
      expect(Object.keys(await load(subpath)).filter((name) => /DEFAULTS$/.test(name))).toEqual([])
    },
  )

  it.each(subpaths)('/%s exports no error class (every error class is the root’s)', async (subpath) => {
    const classes = Object.entries(await load(subpath)).filter(
      ([, value]) =>
        typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error,
    )
    expect(classes.map(([name]) => name)).toEqual([])
  })
})
