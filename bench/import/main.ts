/**
 * What importing costs, in instructions under callgrind (`node --single-threaded`, cold): the
 * packed package's root + `/http` + `/health`, @godaddy/terminus and close-with-grace, each over a
 * bare `import 'node:http'`. The package is `npm pack`ed and installed into a temporary folder, so
 * the figure is what a user's process pays, `exports` map resolution included.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { arch as nodeArch, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3)
/** `setarch`'s name for this machine (`uname -m`). */
const arch = () => ({ x64: 'x86_64', arm64: 'aarch64' })[nodeArch()] ?? nodeArch()
const dir = mkdtempSync(join(tmpdir(), 'gl-import-'))
try {
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1) as string
  mkdirSync(join(modules, 'graceful-lifecycle'))
  execFileSync('tar', [
    '-xzf',
    join(dir, tarball),
    '-C',
    join(modules, 'graceful-lifecycle'),
    '--strip-components=1',
  ])
  for (const name of ['eventemitter3', 'p-timeout', '@godaddy', 'close-with-grace', 'stoppable'])
    symlinkSync(join(root, 'node_modules', name), join(modules, name))
  const version = (name: string) =>
    (
      JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string
      }
    ).version

  const programs: Record<string, string[]> = {
    bare: [],
    ours: ['graceful-lifecycle', 'graceful-lifecycle/http', 'graceful-lifecycle/health'],
    terminus: ['@godaddy/terminus'],
    'close-with-grace': ['close-with-grace'],
  }
  const count = (name: string): number | undefined => {
    const file = join(dir, `${name}.mjs`)
    writeFileSync(
      file,
      ["import 'node:http'", ...(programs[name] ?? []).map((m) => `import '${m}'`)].join('\n'),
    )
    // Without address-space randomisation and with fixed hash and random seeds, a count repeats to
    // the instruction; with them it moves by up to 20 M from run to run.
    const result = spawnSync(
      'setarch',
      [
        arch(),
        '-R',
        'valgrind',
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        '--single-threaded',
        '--hash-seed=1',
        '--random-seed=1',
        file,
      ],
      { encoding: 'utf8', cwd: dir },
    )
    const match = /Collected : (\d+)/.exec(result.stderr ?? '')
    return match ? Number(match[1]) : undefined
  }
  const samples = new Map<string, number[]>(Object.keys(programs).map((name) => [name, []]))
  let missing = false
  // Interleaved, so drift hits each the same.
  for (let i = 0; i < RUNS && !missing; i++)
    for (const name of samples.keys()) {
      const n = count(name)
      if (n === undefined) missing = true
      else samples.get(name)?.push(n)
    }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number
  const lines = ['## Import cost', '']
  let ratio = Number.NaN
  if (missing) lines.push('(valgrind not found: no instruction counts)')
  else {
    const bare = median(samples.get('bare') ?? [])
    const over = (name: string) => (median(samples.get(name) ?? []) - bare) / 1e6
    const ours = over('ours')
    const terminus = over('terminus')
    ratio = ours / terminus
    lines.push(
      `Instructions (callgrind, \`node --single-threaded\`, cold, median of ${RUNS}) over a bare \`import 'node:http'\` (${(bare / 1e6).toFixed(0)} M). Target: ours at or below terminus (issue 16 §2).`,
      '',
      '| imports | + M instructions |',
      '|---|---|',
      `| graceful-lifecycle (packed): root + \`/http\` + \`/health\` | **${ours.toFixed(1)}** |`,
      `| @godaddy/terminus ${version('@godaddy/terminus')} | ${terminus.toFixed(1)} |`,
      `| close-with-grace ${version('close-with-grace')} | ${over('close-with-grace').toFixed(1)} |`,
      '',
      `Ours / terminus: **${ratio.toFixed(2)}** (target ≤ 1).`,
    )
  }
  console.log(lines.join('\n'))
  // `npm run check:import` (in .ci/run): the claim in README and bench/RESULTS.md, checked.
  if (process.env.BENCH_IMPORT_CHECK) {
    const verdict = missing ? 'valgrind is missing' : ratio > 1 ? `ours is ${ratio.toFixed(2)}× terminus` : ''
    if (verdict) {
      console.error(`check:import FAILED: ${verdict} (target ≤ 1)`)
      process.exitCode = 1
    } else console.error(`check:import: ours is ${ratio.toFixed(2)}× terminus`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
