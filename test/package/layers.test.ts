/**
 * The layers the folders show (issue 16 §2), read from the import graph of `src/`: rerun this file
 * after moving an import. Type-only imports are erased by the build: they count for the folder rule
 * (the core knows no integration, not even its types) and not for what is loaded at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const src = fileURLToPath(new URL('../../src/', import.meta.url))
const INTEGRATIONS = [
  'http',
  'health',
  'workers',
  'adapters',
  'frameworks',
  'fastify',
  'nestjs',
  'otel',
  'cluster',
  'testing',
  'cli',
]
const PRINTERS = ['core/report/html.ts', 'core/report/trace.ts', 'core/report/prometheus.ts']

interface Edge {
  readonly to: string
  readonly typeOnly: boolean
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** `import`/`export ... from`, side-effect imports and `import()`, resolved to files of `src/`. */
function edges(file: string): Edge[] {
  const text = readFileSync(file, 'utf8')
  const found: Edge[] = []
  const pattern =
    /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm
  for (const match of text.matchAll(pattern)) {
    const specifier = match[2] ?? match[3]
    if (specifier === undefined || !specifier.startsWith('.')) continue
    const clause = match[0]
    // `import { type A, type B } from` is erased too.
    const named = /\{([^}]*)\}/.exec(clause)?.[1]
    const allTypes =
      named?.split(',').every((part) => part.trim() === '' || part.trim().startsWith('type ')) === true
    const base = resolve(dirname(file), specifier.replace(/\.js$/, ''))
    const to = [`${base}.ts`, join(base, 'index.ts')].find((path) => {
      try {
        return statSync(path).isFile()
      } catch {
        return false
      }
    })
    if (to === undefined) throw new Error(`${relative(src, file)}: cannot resolve ${specifier}`)
    found.push({ to: relative(src, to), typeOnly: match[1] !== undefined || allTypes })
  }
  return found
}

const graph = new Map(files(src).map((file) => [relative(src, file), edges(file)]))

/** Every file `from` loads at run time, itself included. */
function loads(from: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const edge of graph.get(file) ?? []) if (!edge.typeOnly) visit(edge.to)
  }
  visit(from)
  return seen
}

describe('layers (issue 16 §2)', () => {
  test('no file of the core imports an integration folder, not even for a type', () => {
    const wrong: string[] = []
    for (const [file, list] of graph) {
      if (!file.startsWith('core/')) continue
      for (const edge of list)
        if (INTEGRATIONS.includes(edge.to.split('/')[0] ?? '')) wrong.push(`${file} → ${edge.to}`)
    }
    expect(wrong).toEqual([])
  })

  test('no file of the core imports anything outside the core', () => {
    const wrong: string[] = []
    for (const [file, list] of graph)
      if (file.startsWith('core/'))
        for (const edge of list) if (!edge.to.startsWith('core/')) wrong.push(`${file} → ${edge.to}`)
    expect(wrong).toEqual([])
  })

  test('the logger loads no report printer (HTML, trace, Prometheus)', () => {
    const loaded = loads('core/logger.ts')
    expect(PRINTERS.filter((printer) => loaded.has(printer))).toEqual([])
  })

  test('the root entry, /http and /health load no HTML, trace or Prometheus printer (those are /report)', () => {
    for (const entry of ['index.ts', 'http/index.ts', 'health/index.ts']) {
      const loaded = loads(entry)
      expect(
        PRINTERS.filter((printer) => loaded.has(printer)),
        entry,
      ).toEqual([])
    }
    expect(PRINTERS.every((printer) => loads('report/index.ts').has(printer))).toBe(true)
  })

  test('the core types import nothing: no circle runs through them', () => {
    expect(graph.get('core/types.ts')).toEqual([])
  })

  test("the core's run-time imports form no circle", () => {
    const circles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' → '))
        return
      }
      state.set(file, 'open')
      for (const edge of graph.get(file) ?? []) if (!edge.typeOnly) visit(edge.to, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) if (file.startsWith('core/')) visit(file, [])
    expect(circles).toEqual([])
  })

  test('the walk sees the edges it must (a check that the checks can fail)', () => {
    expect(loads('core/lifecycle.ts').has('core/signals/handle-signals.ts')).toBe(true)
    expect(
      loads('http/index.ts').has('core/lifecycle.ts') || loads('http/index.ts').has('core/errors.ts'),
    ).toBe(true)
    expect(loads('report/index.ts').has('core/report/html.ts')).toBe(true)
    expect(loads('core/logger.ts').has('core/report/table.ts')).toBe(true)
  })
})
