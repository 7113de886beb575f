#!/usr/bin/env node
// `npm run build`: tsc compiles, Rollup joins. Each entry point in package.json `exports` (and the
// CLI) becomes one file in dist/, and what several entry points share becomes a few chunks in
// dist/chunks/: one for src/core/, the rest as Rollup groups them. The declarations stay one file
// per source module, as tsc writes them, with their comments.
//
// Why not one JavaScript file per source module, as tsc writes them: Node pays for every ES module
// it loads (resolve, read, compile, link), about 1.3 M instructions each, and the root + `/http` +
// `/health` are 57 modules. Joined, they are 4, and importing them costs less than importing
// @godaddy/terminus (`npm run bench -- import`; issue 16 §2). Comments are left out of the
// JavaScript (the declarations keep them): V8 scans every byte of a module it loads.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const compiled = join(root, '.build')
const tsc = join(root, 'node_modules/.bin/tsc')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

rmSync(dist, { recursive: true, force: true })
rmSync(compiled, { recursive: true, force: true })
execFileSync(tsc, ['-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' })
execFileSync(
  tsc,
  ['-p', 'tsconfig.build.json', '--declaration', 'false', '--removeComments', '--outDir', compiled],
  { cwd: root, stdio: 'inherit' },
)

/** `http/index` → .build/http/index.js, for every entry point and the CLI. */
const input = {}
const entries = [
  ...Object.values(pkg.exports).flatMap((target) => (typeof target === 'object' ? [target.default] : [])),
  ...Object.values(pkg.bin),
]
for (const file of entries) {
  const name = file.replace(/^\.\/dist\//, '').replace(/\.js$/, '')
  input[name] = join(compiled, `${name}.js`)
}

const bundle = await rollup({
  input,
  // Dependencies, peers and Node's modules are the user's: never joined in.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // An entry point exports exactly what its source module exports.
  preserveEntrySignatures: 'strict',
  onwarn(warning) {
    throw new Error(`rollup: ${warning.message}`)
  },
})
const { output } = await bundle.write({
  dir: dist,
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name].js',
  // The core is one chunk, whichever entry points use which part of it, so importing the root and
  // any integration loads one core module. The printers that only /report and the CLI use are a
  // chunk of their own.
  manualChunks(id) {
    const path = relative(compiled, id).split(sep).join('/')
    if (/^core\/report\/(index|html|trace|prometheus|from-json)\.js$/.test(path)) return 'report'
    return path.startsWith('core/') || path === 'index.js' ? 'core' : undefined
  },
})
await bundle.close()
rmSync(compiled, { recursive: true, force: true })

// The CLI is run as a program.
const cli = join(dist, 'cli/index.js')
const text = readFileSync(cli, 'utf8')
if (!text.startsWith('#!')) throw new Error('dist/cli/index.js lost its #! line')
execFileSync('chmod', ['+x', cli])

const modules = output.filter((chunk) => chunk.type === 'chunk')
if (process.env.BUILD_VERBOSE)
  for (const chunk of modules)
    console.log(
      chunk.fileName,
      Object.entries(chunk.modules)
        .map(([id, m]) => `${relative(compiled, id)}:${m.renderedLength}`)
        .join(' '),
    )
console.log(
  `build: ${modules.length} JavaScript modules (${modules.filter((c) => c.isEntry).length} entry points) from ${new Set(modules.flatMap((c) => Object.keys(c.modules))).size} source modules`,
)
// Nothing of tsc's per-module JavaScript is left behind.
const stray = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return stray(path)
    return entry.name.endsWith('.js') && !modules.some((c) => join(dist, c.fileName) === path) ? [path] : []
  })
const left = stray(dist)
if (left.length > 0) throw new Error(`build: stray JavaScript in dist/: ${left.join(', ')}`)
