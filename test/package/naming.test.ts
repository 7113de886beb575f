import { describe, expect, it } from 'vitest'
import { entries } from './entries.js'

// The naming rule of CONTRIBUTING.md, for every entry point in package.json `exports`.
const subpaths = entries.filter(({ key }) => key !== '.').map(({ subpath }) => subpath)

/** The library's own concerns: their components are plain nouns, not `<subpath><Thing>`. */
const OWN = ['health', 'workers', 'otel', 'testing', 'report']
/** Functions of an integration subpath that are helpers, not component factories. */
const HELPERS: Record<string, readonly string[]> = { http: ['requestSignal'] }

async function load(subpath: string): Promise<Record<string, unknown>> {
  const entry = entries.find((candidate) => candidate.subpath === subpath)
  if (entry === undefined) throw new Error(`no entry point ./${subpath} in package.json`)
  return (await import(entry.source)) as Record<string, unknown>
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
