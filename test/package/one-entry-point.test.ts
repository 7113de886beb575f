import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { entries as allEntries } from './entries.js'

// CONTRIBUTING.md, the naming rule: a public name, value or type, has one entry point that a user
// imports it from, and an integration's types are named after its factory. The values are checked
// by naming.test.ts; this reads the types too.
const entries = allEntries.map(({ key, source }) => [key, source] as const)

/** The library's own concerns: their components are plain nouns (naming.test.ts). */
const OWN = ['.', './health', './workers', './otel', './testing', './report']

const capitalized = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

describe('every public name has one entry point', () => {
  const program = ts.createProgram(
    entries.map(([, file]) => file),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
  )
  const checker = program.getTypeChecker()
  const exportsOf = (file: string): ts.Symbol[] => {
    const source = program.getSourceFile(file)
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    return module === undefined ? [] : checker.getExportsOfModule(module)
  }

  it('no value or type is exported by two entry points', () => {
    const where = new Map<string, string[]>()
    for (const [entry, file] of entries) {
      const names = exportsOf(file).map((symbol) => symbol.name)
      expect(names.length, entry).toBeGreaterThan(0)
      for (const name of names) where.set(name, [...(where.get(name) ?? []), entry])
    }
    const twice = [...where]
      .filter(([, at]) => at.length > 1)
      .map(([name, at]) => `${name}: ${at.join(', ')}`)
    expect(twice).toEqual([])
  }, 60_000)

  it('an integration factory takes `<Factory>Options`, and what it manages as a `<Factory>Like`', () => {
    const wrong: string[] = []
    for (const [entry, file] of entries.filter(([entry]) => !OWN.includes(entry))) {
      const subpath = entry.slice(2)
      for (const symbol of exportsOf(file)) {
        if (!symbol.name.startsWith(subpath)) continue
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        const fn = target.declarations?.find(ts.isFunctionDeclaration)
        if (fn === undefined) continue
        for (const parameter of fn.parameters) {
          const type = (parameter.type?.getText() ?? '').replace(/<.*>$/, '')
          const name = parameter.name.getText()
          const ok =
            name === 'options'
              ? type === `${capitalized(symbol.name)}Options`
              : !/Like$/.test(type) ||
                type === `${capitalized(symbol.name)}Like` ||
                type === `${capitalized(subpath)}${capitalized(name)}Like`
          if (!ok) wrong.push(`${symbol.name}(${name}: ${type})`)
        }
      }
    }
    expect(wrong).toEqual([])
  }, 60_000)
})
