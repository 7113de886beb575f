/**
 * `npm run bench`: runs every `bench/<name>/main.ts` in its own process (one at a time, so they
 * do not share the two cores), and writes what each prints (markdown) to `bench/RESULTS.md`.
 * `npm run bench -- core` runs only the benches whose folder name is given.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const benches = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'main.ts')))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort()

const sections: string[] = []
let failed = false
for (const name of benches) {
  console.error(`bench: ${name} ...`)
  const started = Date.now()
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(here, name, 'main.ts')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (result.status !== 0) {
    failed = true
    console.error(`bench: ${name} failed with exit code ${result.status}`)
    continue
  }
  console.error(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  sections.push(result.stdout.trim())
  console.log(result.stdout)
}

const header = [
  '# Benchmark results',
  '',
  `Produced by \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}:`,
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB.`,
  'Every ratio compares figures measured in the same run; absolute numbers vary with the machine.',
  '',
].join('\n')
if (only.length === 0 && !failed)
  writeFileSync(join(here, 'RESULTS.md'), `${header}\n${sections.join('\n\n')}\n`)
else if (!failed) console.error('bench: a partial run: bench/RESULTS.md left as it was')
process.exitCode = failed ? 1 : 0
