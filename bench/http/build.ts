/**
 * Compiles the server fixture and what it imports (bench/http, src) to plain ESM once per bench
 * run, with TypeScript's `transpileModule` (no type check), so that each of the ~200 server
 * processes starts as plain `node` (what users run) instead of paying tsx's start-up every time.
 * The output sits under node_modules/.cache so that package imports resolve as in the repository.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('../../', import.meta.url))
const outDir = join(root, 'node_modules', '.cache', 'graceful-lifecycle-bench-http')

/** Relative imports of a compiled module (`'./x.js'`, `'../../src/y.js'`). */
function relativeImports(code: string): string[] {
  return [...code.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.js)'/g)].map(
    (match) => match[1] as string,
  )
}

/** Compiles `server.ts` and every module it reaches by relative import; returns the compiled `server.js`. */
export function buildServer(): string {
  rmSync(outDir, { recursive: true, force: true })
  const pending = [join(root, 'bench', 'http', 'server.ts')]
  const done = new Set<string>()
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (done.has(file)) continue
    done.add(file)
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    })
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js')
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, outputText)
    for (const specifier of relativeImports(outputText))
      pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')))
  }
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n')
  return join(outDir, 'bench', 'http', 'server.js')
}
