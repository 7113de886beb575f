#!/usr/bin/env node
// The package's entry points as users meet them, read from package.json `exports` (so a subpath added
// later is covered without touching this file):
//   node .ci/check-exports.mjs manifest <package-dir> [repo-dir]
//     `exports` ↔ `typesVersions` (node10 resolution, NestJS's default) ↔ `main`/`types` ↔ files on
//     disk ↔ typedoc's entry points (when repo-dir has typedoc.json). Run before packing.
//   node .ci/check-exports.mjs installed <installed-package-dir>
//     in what npm installed: one name per type across entry points, and no source map that points
//     at a file the package does not ship.
//   node .ci/check-exports.mjs entries <package-dir>
//     prints a TypeScript module importing every entry point (the consumers compile it).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

const [mode, dir, repo] = process.argv.slice(2)
if (!mode || !dir) {
  console.error('usage: check-exports.mjs manifest|installed|entries <package-dir> [repo-dir]')
  process.exit(2)
}
const root = resolve(dir)
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const problems = []

/** `[subpath, { types, default }]` for every entry point but `./package.json`. */
function entries() {
  return Object.entries(pkg.exports ?? {}).filter(([key]) => key !== './package.json')
}
function specifier(key) {
  return key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`
}

function checkManifest() {
  const tvAll = pkg.typesVersions ?? {}
  const ranges = Object.keys(tvAll)
  if (ranges.length !== 1 || ranges[0] !== '*') {
    problems.push(
      `package.json \`typesVersions\` must have exactly one range, "*"; it has ${JSON.stringify(ranges)}`,
    )
  }
  const tv = tvAll['*'] ?? {}
  for (const [key, target] of entries()) {
    if (
      typeof target !== 'object' ||
      target === null ||
      Object.keys(target)[0] !== 'types' ||
      !target.default
    ) {
      problems.push(`exports["${key}"] must be { "types": ..., "default": ... } with "types" first`)
      continue
    }
    for (const file of [target.types, target.default]) {
      if (!existsSync(join(root, file)))
        problems.push(`exports["${key}"] points at ${file}, which the build did not make`)
    }
    if (key === '.') {
      if (pkg.types !== target.types) problems.push(`"types" must be ${target.types} (exports["."].types)`)
      if (pkg.main !== target.default)
        problems.push(`"main" must be ${target.default} (exports["."].default)`)
      continue
    }
    const sub = key.slice(2)
    const mapped = tv[sub]
    if (mapped === undefined) {
      problems.push(
        `exports["${key}"] has no typesVersions entry: TypeScript with moduleResolution node10 (NestJS's default) ` +
          `cannot resolve ${specifier(key)}. Add to package.json typesVersions["*"]: "${sub}": ["${target.types}"]`,
      )
    } else if (!Array.isArray(mapped) || mapped.length !== 1 || mapped[0] !== target.types) {
      problems.push(
        `typesVersions["*"]["${sub}"] must be ["${target.types}"] (exports["${key}"].types), got ${JSON.stringify(mapped)}`,
      )
    }
  }
  for (const sub of Object.keys(tv)) {
    if (!(`./${sub}` in (pkg.exports ?? {}))) {
      problems.push(`typesVersions["*"]["${sub}"] has no exports["./${sub}"]: remove it, or add the export`)
    }
  }
  const typedoc = repo && join(resolve(repo), 'typedoc.json')
  if (typedoc && existsSync(typedoc)) {
    const documented = new Set(JSON.parse(readFileSync(typedoc, 'utf8')).entryPoints ?? [])
    for (const [key, target] of entries()) {
      const source = target.types?.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')
      if (source && !documented.has(source)) {
        problems.push(
          `typedoc.json entryPoints lacks ${source} (exports["${key}"]): the API reference would miss it`,
        )
      }
    }
  }
}

function checkInstalled() {
  const require = createRequire(import.meta.url)
  const ts = require('typescript')
  const files = entries().map(([key, target]) => ({ key, file: join(root, target.types) }))
  const program = ts.createProgram(
    files.map((entry) => entry.file),
    {
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
    },
  )
  const checker = program.getTypeChecker()
  /** name → Map(declaration id → entry points exporting it under that name) */
  const byName = new Map()
  for (const { key, file } of files) {
    const source = program.getSourceFile(file)
    const moduleSymbol = source && checker.getSymbolAtLocation(source)
    if (!moduleSymbol) {
      problems.push(`${specifier(key)}: ${file} is not a module`)
      continue
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const declaration = target.declarations?.[0]
      const id = declaration
        ? `${relative(root, declaration.getSourceFile().fileName)}:${declaration.pos}`
        : `${exported.name}?`
      const ids = byName.get(exported.name) ?? new Map()
      byName.set(exported.name, ids)
      ids.set(id, [...(ids.get(id) ?? []), specifier(key)])
    }
  }
  for (const [name, ids] of byName) {
    if (ids.size > 1) {
      const where = [...ids]
        .map(([id, from]) => `${from.join(', ')} (${id.replace(/:\d+$/, '')})`)
        .join(' vs ')
      problems.push(
        `\`${name}\` names ${ids.size} different things across entry points: ${where}. Give each its own name.`,
      )
    }
  }
  const dangling = []
  for (const map of walk(root).filter((file) => file.endsWith('.map'))) {
    const { sources = [], sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8'))
    for (const source of sources) {
      const target = resolve(dirname(map), sourceRoot, source)
      if (!existsSync(target)) dangling.push(`${relative(root, map)} → ${relative(root, target)}`)
    }
  }
  if (dangling.length > 0) {
    problems.push(
      `${dangling.length} source map(s) point at files the package does not ship (${dangling[0]}, ...): ` +
        'ship the sources, or build without `sourceMap` and `declarationMap`',
    )
  }
}

function walk(at) {
  return readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return []
    const path = join(at, entry.name)
    return entry.isDirectory() ? walk(path) : [path]
  })
}

if (mode === 'entries') {
  const list = entries()
  const lines = list.map(([key], i) => `import * as entry${i} from '${specifier(key)}'`)
  lines.push('', 'export const entries = {')
  lines.push(...list.map(([key], i) => `  '${specifier(key)}': entry${i},`))
  lines.push('}', '')
  lines.push('for (const [name, namespace] of Object.entries(entries)) {')
  lines.push("  if (Object.keys(namespace).length === 0) throw new Error(name + ': no exports at run time')")
  lines.push('}')
  lines.push("console.log('  ran: ' + Object.keys(entries).length + ' entry points imported')")
  process.stdout.write(`${lines.join('\n')}\n`)
  process.exit(0)
}
if (mode === 'manifest') checkManifest()
else if (mode === 'installed') checkInstalled()
else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
if (problems.length > 0) {
  console.error(
    `${pkg.name} (${mode}): ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  )
  process.exit(1)
}
console.log(`${pkg.name} (${mode}): ${entries().length} entry points OK`)
