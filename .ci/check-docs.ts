/**
 * Every TypeScript and JavaScript block in README.md and docs/ (not docs/reference/) is
 * type-checked against the built package (`dist/`, resolved by the package's own name, as in an
 * app that installed it), and every block marked as a whole program is run. `examples/` is
 * type-checked the same way: each example must still compile once copied into an app.
 *
 *   npm run build && npm run check:docs            # needs the services of .ci/start-services
 *   npm run check:docs -- --no-run                 # type-check only
 *   npm run check:docs -- docs/http.md             # these files only (examples/ left out)
 *   npm run check:docs -- --sources …              # against src/ (tsconfig's `paths`), no build
 *
 * A block is marked by an HTML comment right before its fence (a reader of the rendered page
 * does not see it):
 *   <!-- docs-check: run -->        a whole program: type-checked, then run; it must exit 0 on its
 *                                    own, or, when it is still running after a moment, on SIGTERM
 *   <!-- docs-check: context        a fragment: the lines up to `-->` are declared before it
 *   declare const pool: import('pg').Pool
 *   -->
 *   <!-- docs-check: skip <why> -->  not checked (say why)
 * An unmarked block must type-check as it stands.
 *
 * Every relative path in those files (links, and paths into the repository in the text and in
 * shell blocks) must exist too (`.ci/check-paths.ts`), with or without --no-run.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { brokenPaths } from './check-paths.js'

const root = fileURLToPath(new URL('..', import.meta.url))
// Inside the package, so that `graceful-lifecycle` resolves to its `exports` (dist/), by name.
const work = join(root, '.tmp', `docs-check-${process.pid}`)
const LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript'])
/** After the program listens for SIGTERM: time for its start to finish before the signal. */
const RUN_SETTLE_MS = 1_000
/** A program that never listens for SIGTERM gets it anyway after this long (and dies of it). */
const RUN_LISTEN_MS = 20_000
const RUN_EXIT_MS = 20_000

const flags = new Set(process.argv.slice(2).filter((arg) => arg.startsWith('--')))
const named = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
for (const flag of flags) {
  if (flag !== '--no-run' && flag !== '--sources') throw new TypeError(`check-docs: unknown option ${flag}`)
}
const withExamples = named.length === 0

interface Block {
  readonly source: string // docs/lifecycle.md
  readonly line: number // the first line of code, 1-based
  readonly code: string
  readonly language: string
  readonly mode: 'check' | 'run' | 'context' | 'skip'
  readonly context: string
  file: string
}

function markdownFiles(): string[] {
  if (named.length > 0) return named
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  return ['README.md', ...docs]
}

/** Paths are checked in every page a reader reaches: the generated reference and examples/ too. */
function pagesWithPaths(): string[] {
  if (named.length > 0) return named
  const reference = readdirSync(join(root, 'docs', 'reference'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/reference/${name}`)
  return [...markdownFiles(), ...reference, 'examples/README.md']
}

function parse(source: string): Block[] {
  const lines = readFileSync(join(root, source), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)/.exec(lines[i] ?? '')
    if (!fence) continue
    const indent = fence[1] ?? ''
    const language = fence[2] ?? ''
    let end = i + 1
    while (end < lines.length && !(lines[end] ?? '').startsWith(`${indent}\`\`\``)) end++
    const code = lines
      .slice(i + 1, end)
      .map((line) => line.slice(indent.length))
      .join('\n')
    // The marker: an HTML comment that ends on the line right before the fence.
    let mode: Block['mode'] = 'check'
    let context = ''
    if ((lines[i - 1] ?? '').trim().endsWith('-->')) {
      let start = i - 1
      while (start > 0 && !(lines[start] ?? '').includes('<!--')) start--
      const comment = lines
        .slice(start, i)
        .join('\n')
        .replace(/^\s*<!--\s*/, '')
        .replace(/\s*-->\s*$/, '')
      const directive = /^docs-check:\s*(\w+)/.exec(comment)
      if (directive) {
        const name = directive[1]
        if (name !== 'run' && name !== 'context' && name !== 'skip') {
          throw new Error(`${source}:${start + 1}: unknown marker \`docs-check: ${name}\``)
        }
        mode = name
        context = name === 'context' ? comment.slice(directive[0].length) : ''
        if (name === 'skip' && comment.slice(directive[0].length).trim() === '') {
          throw new Error(`${source}:${start + 1}: \`docs-check: skip\` needs a reason`)
        }
      }
    }
    if (LANGUAGES.has(language) && mode !== 'skip') {
      blocks.push({ source, line: i + 2, code, language, mode, context, file: '' })
    }
    i = end
  }
  return blocks
}

function write(blocks: Block[]): void {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  if (withExamples) cpSync(join(root, 'examples'), join(work, 'examples'), { recursive: true })
  for (const block of blocks) {
    const base = `${block.source.replace(/[/.]/g, '_')}_${block.line}`
    const commonJs = /\bmodule\.exports\b|\brequire\(/.test(block.code)
    const extension = block.language.startsWith('j') ? (commonJs ? 'cjs' : 'mjs') : 'ts'
    block.file = join(work, `${base}.${extension}`)
    // The context goes on the first line, so that line numbers match the markdown's.
    const context = block.context
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('; ')
    const body = commonJs ? block.code : `${block.code}\nexport {}\n`
    writeFileSync(block.file, `${context ? `${context}; ` : ''}${body}`)
  }
  const base = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>
  }
  // No `paths`: the built package, by its name, is what a user's app sees. With --sources, the
  // tsconfig's `paths` made absolute: src/, as in the repository's own tests.
  const { paths, ...options } = base.compilerOptions
  const sources = Object.fromEntries(
    Object.entries((paths ?? {}) as Record<string, string[]>).map(([name, targets]) => [
      name,
      targets.map((target) => join(root, target)),
    ]),
  )
  const compilerOptions = {
    ...options,
    ...(flags.has('--sources') ? { paths: sources } : {}),
    allowJs: true,
    checkJs: true,
    noEmit: true,
  }
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*'] }, null, 2))
}

function typeCheck(blocks: Block[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(work, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
      },
    },
  )
  if (!config) throw new Error('cannot read the generated tsconfig.json')
  const examples = withExamples
    ? readdirSync(join(work, 'examples'), { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .map((name) => join(work, 'examples', name))
    : []
  const program = ts.createProgram([...blocks.map((block) => block.file), ...examples], config.options)
  const byFile = new Map(blocks.map((block) => [block.file, block]))
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')
    const block = diagnostic.file && byFile.get(diagnostic.file.fileName)
    if (!diagnostic.file || diagnostic.start === undefined) return `error: ${message}`
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    if (!block) return `${relative(work, diagnostic.file.fileName)}:${line + 1}: ${message}`
    return `${block.source}:${block.line + line}: ${message}`
  })
}

/** Runs a whole program; resolves with a failure message, or undefined when it exited 0. */
function runProgram(block: Block): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', join(root, '.ci/docs-preload.mjs'), block.file],
      {
        cwd: work,
        env: {
          ...process.env,
          DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    let settle: NodeJS.Timeout | undefined
    let hang: NodeJS.Timeout | undefined
    const terminate = (): void => {
      clearTimeout(settle)
      child.kill('SIGTERM')
      hang = setTimeout(() => child.kill('SIGKILL'), RUN_EXIT_MS)
    }
    const unheard = setTimeout(terminate, RUN_LISTEN_MS)
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
      if (settle === undefined && output.includes('docs-check: SIGTERM handled')) {
        clearTimeout(unheard)
        settle = setTimeout(terminate, RUN_SETTLE_MS)
      }
    })
    const where = `${block.source}:${block.line}`
    child.on('close', (code, signal) => {
      clearTimeout(settle)
      clearTimeout(unheard)
      clearTimeout(hang)
      if (code === 0) resolve(undefined)
      else resolve(`${where}: the program ended with ${signal ?? `code ${code}`}:\n${output.trim()}`)
    })
  })
}

async function main(): Promise<void> {
  if (!flags.has('--sources') && !existsSync(join(root, 'dist', 'index.d.ts'))) {
    throw new Error(
      'dist/ is missing: run `npm run build` first (the docs are checked against the built package)',
    )
  }
  const blocks = markdownFiles().flatMap(parse)
  write(blocks)
  const failures = [...pagesWithPaths().flatMap((source) => brokenPaths(root, source)), ...typeCheck(blocks)]
  const programs = blocks.filter((block) => block.mode === 'run')
  if (!flags.has('--no-run')) {
    // One at a time: they use the same services, and the machine is shared.
    for (const block of programs) {
      const failure = await runProgram(block)
      if (failure) failures.push(failure)
    }
  }
  const files = new Set(blocks.map((block) => block.source)).size
  if (failures.length > 0) {
    console.error(failures.join('\n'))
    console.error(`\ncheck-docs: ${failures.length} problem(s) in ${blocks.length} blocks of ${files} files`)
    console.error(`(the files checked are in ${relative(root, work)})`)
    process.exit(1)
  }
  const ran = flags.has('--no-run') ? 'none run (--no-run)' : `${programs.length} run`
  const against = flags.has('--sources') ? 'src/' : 'dist/'
  const what = withExamples ? `${files} files and examples/` : `${files} files`
  console.log(
    `check-docs: every relative path exists; ${blocks.length} blocks in ${what} type-check against ${against}; ${ran}`,
  )
  rmSync(work, { recursive: true, force: true })
}

await main()
