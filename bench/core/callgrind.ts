/**
 * Instructions per hook under callgrind (`node --single-threaded`, fixed seeds, 10,000 no-op hooks, one cold
 * stop per process), beside avvio in the same run: each figure is the difference of two cold
 * processes of `bench/core/instructions.mjs` (one step more), divided by the hooks.
 */
import { spawnSync } from 'node:child_process'
import { arch as nodeArch } from 'node:os'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./instructions.mjs', import.meta.url))
const HOOKS = 10_000
/** `setarch`'s name for this machine (`uname -m`). */
const arch = () => ({ x64: 'x86_64', arm64: 'aarch64' })[nodeArch()] ?? nodeArch()

/** Instructions of one cold process, or `undefined` without valgrind. */
function instructions(variant: string, step: string): number | undefined {
  // Without address-space randomisation (`setarch -R`) and with fixed seeds, a count repeats to the
  // instruction. V8 draws a random hash seed at start-up, and its search for primes costs 0 to 12 M
  // instructions at random: up to ±500 per hook in a difference of two processes, for both sides
  // alike. Neither changes any per-hook work.
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
      script,
      variant,
      step,
    ],
    { encoding: 'utf8' },
  )
  const match = /Collected : (\d+)/.exec(result.stderr ?? '')
  return match ? Number(match[1]) : undefined
}

/** Per hook: `to` minus `from`, the median of `runs` pairs. */
function perHook(variant: string, from: string, to: string, runs: number): number | undefined {
  const values: number[] = []
  for (let i = 0; i < runs; i++) {
    const a = instructions(variant, from)
    const b = instructions(variant, to)
    if (a === undefined || b === undefined) return undefined
    values.push((b - a) / HOOKS)
  }
  values.sort((x, y) => x - y)
  return values[values.length >> 1]
}

/** Markdown rows: registration, concurrent stop and `sequential: true` stop, beside avvio. */
export function instructionRows(runs = Number(process.env.BENCH_CALLGRIND_RUNS ?? 1)): string[] {
  const avvioRegister = perHook('avvio', 'base', 'register', runs)
  if (avvioRegister === undefined) return ['(valgrind not found: no instruction counts)']
  const avvioClose = perHook('avvio', 'register', 'stop', runs) ?? Number.NaN
  const rows: [string, number | undefined, string, number][] = [
    [
      'registration (`onStop`)',
      perHook('ours', 'base', 'register', runs),
      '`onClose` (+ `ready()`)',
      avvioRegister,
    ],
    ['concurrent stop, 100 priorities', perHook('ours', 'register', 'stop', runs), '`close()`', avvioClose],
    ['`sequential: true` stop', perHook('sequential', 'register', 'stop', runs), '`close()`', avvioClose],
  ]
  const format = (n: number | undefined) => (n === undefined ? '?' : Math.round(n).toLocaleString('en'))
  return [
    '| instructions per hook | us | avvio 9 | | us / avvio (target ≤ 1) |',
    '|---|---|---|---|---|',
    ...rows.map(
      ([name, ours, what, theirs]) =>
        `| ${name} | ${format(ours)} | ${format(theirs)} | ${what} | **${ours === undefined ? '?' : (ours / theirs).toFixed(2)}** |`,
    ),
  ]
}
