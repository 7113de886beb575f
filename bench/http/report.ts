/** Renders the runs as markdown tables, plus the "targets met?" list for our `httpServer()`. */
import { DEFAULTS } from '../../src/index.js'
import {
  BUDGET_MS,
  MEMORY_CONNECTIONS,
  MEMORY_TARGET_RATIO,
  QUICK,
  S1_CONNECTIONS,
  S2_REQUESTS,
  S3_CONNECTIONS,
  S3_LOAD_CAP_MS,
  S3_RUNS_PEER,
  S3_RUNS_US,
  S4_CONNECTIONS,
  S4_MEASURE_MS,
  TIMEOUT_HANG_CAP_MS,
} from './config.js'
import type { MemoryRun } from './memory.js'
import { describe, failedAfterSend, refusedBeforeSend } from './outcome.js'
import type { S1Run } from './s1-idle.js'
import type { S2Run } from './s2-in-flight.js'
import type { S3Run } from './s3-load.js'
import type { S4Run } from './s4-throughput.js'
import { median, summary } from './stats.js'
import type { TimeoutRun } from './timeout.js'
import { DRAIN_DELAY_MS, LABELS, US_EXTRAS, type Variant } from './variants.js'

export interface Results {
  s1: Map<Variant, S1Run[]>
  s2: Map<Variant, S2Run[]>
  s3: Map<Variant, S3Run[]>
  s4: Array<{ bareA: S4Run; us: S4Run; bareB: S4Run }>
  memory: Array<{ bare: MemoryRun; us: MemoryRun }>
  timeout: Map<Variant, TimeoutRun[]>
  errors: string[]
}

/** Numbers where some runs may have no value (never exited): `never` when none has one. */
function times(values: ReadonlyArray<number | undefined>, never: string): string {
  if (values.length === 0) return '–'
  const defined = values.filter((value): value is number => value !== undefined)
  if (defined.length === 0) return `**${never}**`
  const missing = values.length - defined.length
  return `${summary(defined)}${missing ? ` (**${never}** in ${missing}/${values.length})` : ''}`
}

/** Distinct outcomes with their counts: `refused (ECONNREFUSED) ×5`. */
function outcomes(texts: readonly string[]): string {
  if (texts.length === 0) return '–'
  const counts = new Map<string, number>()
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1)
  return [...counts].map(([text, n]) => `${text} ×${n}`).join(', ')
}

function s3Of(results: Results, variant: Variant, kind: string): S3Run[] {
  return (results.s3.get(variant) ?? []).filter((run) => run.kind === kind)
}

function s3Cells(runs: readonly S3Run[]): string[] {
  if (runs.length === 0) return ['–', '–', '–', '–', '–', '–']
  const failed = runs.map((run) => failedAfterSend(run.tally))
  const kinds = ['reset', 'hangup', 'truncated'] as const
  const split = kinds.map((kind) => runs.reduce((total, run) => total + run.tally[kind], 0)).join(' / ')
  const clean = runs.filter((run) => failedAfterSend(run.tally) === 0 && run.unsent === 0).length
  const exits = runs.filter((run) => run.exitMs !== undefined).length
  return [
    `${summary(failed, 0)} (${split})`,
    summary(
      runs.map((run) => run.unsent),
      0,
    ),
    `${clean}/${runs.length}`,
    `${exits}/${runs.length}`,
    times(
      runs.map((run) => run.exitMs),
      'never',
    ),
    `${summary(
      runs.map((run) => run.tally.ok),
      0,
    )} / ${summary(
      runs.map((run) => refusedBeforeSend(run.tally)),
      0,
    )}`,
  ]
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** S1 exit times; behind a drain delay, minus the delay. */
function s1Exits(results: Results, variant: Variant): Array<number | undefined> {
  const minus = variant === 'us-delay' ? DRAIN_DELAY_MS : 0
  return (results.s1.get(variant) ?? []).map((run) =>
    run.exitMs === undefined ? undefined : run.exitMs - minus,
  )
}

/** S1 trigger → exit measured in the server (`process.on('exit')`): the shutdown itself, no process start-up noise. */
function s1InServer(results: Results, variant: Variant): Array<number | undefined> {
  const minus = variant === 'us-delay' ? DRAIN_DELAY_MS : 0
  return (results.s1.get(variant) ?? []).map((run) => {
    const ms = run.server?.sinceTriggerMs
    return run.exitMs === undefined || ms === undefined ? undefined : ms - minus
  })
}

export function renderMarkdown(
  results: Results,
  contenders: readonly Variant[],
  s1Variants: readonly Variant[] = contenders,
): string {
  const out: string[] = ['## HTTP shutdown (`bench/http`)', '']
  out.push(
    `Each variant runs in its own child process (\`bench/http/server.ts\`: the same \`node:http\` handler for all, ` +
      'attached before `listen`), is stopped by SIGTERM, and calls `process.exit()` once its own shutdown ' +
      `completes. Every budget (close-all deadline, grace, terminator/terminus/http-graceful-shutdown timeout, ` +
      `our hook timeout) is ${BUDGET_MS} ms. Clients run in the bench process on 127.0.0.1; exit times are ` +
      "measured from the `kill()` to the child's `exit` event. `median [min–max]` over runs." +
      (QUICK ? ' **BENCH_QUICK=1: smoke run, the numbers mean nothing.**' : ''),
    '',
    'Command: `npm run bench -- http` (this section alone; `npm run bench` runs every bench and rewrites this ' +
      'file). `BENCH_HTTP_VARIANTS=us,http-terminator BENCH_HTTP_SCENARIOS=s1,s4` narrows a run; our S1 variants ' +
      '(`idleGrace: 0`, behind a drain delay) come with `us`.',
    '',
  )

  out.push(
    '### S1 idle keep-alive, S2 in-flight requests, timeout',
    '',
    `S1: ${S1_CONNECTIONS} keep-alive connections that made one request and sit idle; trigger → exit. ` +
      `S2: ${S2_REQUESTS} requests with a 1 s handler, trigger 100 ms after they start; at +50 ms a request on a ` +
      'new connection and one on an already-open idle keep-alive connection. Timeout: one request that never ' +
      `ends; trigger → exit (budget ${BUDGET_MS} ms; "hangs" = still up after ${TIMEOUT_HANG_CAP_MS} ms).`,
    '',
  )
  const floor = results.s1.get('exit') ?? []
  const rows: string[][] = []
  const floorTimeout = results.timeout.get('exit') ?? []
  if (floor.length || floorTimeout.length)
    rows.push([
      LABELS.exit,
      times(
        floor.map((run) => run.exitMs),
        'never',
      ),
      times(s1InServer(results, 'exit'), 'never'),
      '',
      '',
      '',
      '',
      '',
      times(
        floorTimeout.map((run) => run.exitMs),
        'hangs',
      ),
    ])
  for (const variant of contenders) {
    const s2 = results.s2.get(variant) ?? []
    rows.push([
      LABELS[variant],
      times(s1Exits(results, variant), 'never'),
      times(s1InServer(results, variant), 'never'),
      s2.length
        ? `${summary(
            s2.map((run) => run.completed),
            0,
          )} / ${S2_REQUESTS}`
        : '–',
      times(
        s2.map((run) => run.lastToExitMs),
        'never',
      ),
      times(
        s2.map((run) => (run.lastToExitMs === undefined ? undefined : run.server?.sinceLastFinishMs)),
        'never',
      ),
      outcomes(s2.map((run) => describe(run.newConnection))),
      outcomes(s2.map((run) => describe(run.idleConnection))),
      times(
        (results.timeout.get(variant) ?? []).map((run) => run.exitMs),
        'hangs',
      ),
    ])
  }
  for (const variant of s1Variants) {
    if (!(US_EXTRAS as readonly Variant[]).includes(variant) || !results.s1.has(variant)) continue
    rows.push([
      LABELS[variant],
      times(s1Exits(results, variant), 'never'),
      times(s1InServer(results, variant), 'never'),
      '',
      '',
      '',
      '',
      '',
      '',
    ])
  }
  out.push(
    table(
      [
        '',
        'S1 exit ms',
        'S1 in the server: trigger → exit ms',
        'S2 done',
        'S2 last response → exit ms',
        'S2 in the server: last finish → exit ms',
        'S2 new connection at +50 ms',
        'S2 idle keep-alive request at +50 ms',
        'timeout exit ms',
      ],
      rows,
    ),
    '',
  )
  return (
    out.join('\n') +
    renderS3(results, contenders) +
    renderS4(results) +
    renderMemory(results) +
    renderTargets(results, contenders)
  )
}

function renderS3(results: Results, contenders: readonly Variant[]): string {
  const out: string[] = [
    '',
    '### S3 keep-alive load, trigger 1 s in',
    '',
    `${S3_CONNECTIONS} keep-alive connections, 5 ms handler, each sending its next request the moment the previous ` +
      'one ended; the load goes on after the trigger until the server exits ' +
      `(or ${S3_LOAD_CAP_MS} ms: "never"). Raw client: \`net\` sockets reused at once; Agent: node:http's keep-alive ` +
      `\`Agent\`. Runs per client: ${S3_RUNS_US} for us, ${S3_RUNS_PEER} per peer. "Failed after send" = the request ` +
      'was written, then reset / hang-up / truncated response (totals over all runs in brackets). "Unsent" = ' +
      'handlers the server started whose response never finished (counted in the server). "Clean" = 0 failed ' +
      'and 0 unsent.',
    '',
  ]
  const rows: string[][] = []
  for (const variant of contenders) {
    for (const kind of ['raw', 'agent'])
      rows.push([LABELS[variant], kind, ...s3Cells(s3Of(results, variant, kind))])
  }
  out.push(
    table(
      [
        '',
        'client',
        'failed after send (reset / hang-up / truncated)',
        'handler ran, response never sent',
        'clean runs',
        'exits while load goes on',
        'trigger → exit ms',
        'ok / refused before send',
      ],
      rows,
    ),
    '',
  )
  return out.join('\n')
}

function renderS4(results: Results): string {
  if (results.s4.length === 0) return ''
  const cpu = (run: S4Run) => run.cpuPerRequestUs
  const noise = results.s4.map((round) => cpu(round.bareB) / cpu(round.bareA))
  const ours = results.s4.map((round) => cpu(round.us) / ((cpu(round.bareA) + cpu(round.bareB)) / 2))
  const bare = results.s4.flatMap((round) => [round.bareA, round.bareB])
  const us = results.s4.map((round) => round.us)
  return [
    '',
    '### S4 request-path overhead',
    '',
    `Hello-world, ${S4_CONNECTIONS} keep-alive raw connections, ${S4_MEASURE_MS} ms measured after a warm-up; ` +
      'server CPU (user + system, `process.cpuUsage()` in the server) per finished response. Each round runs ' +
      'bare, us, bare; the two bare runs give the noise band.',
    '',
    table(
      ['', 'requests/s', 'server CPU µs / request', 'CPU/request ratio'],
      [
        [
          'bare `node:http`',
          summary(
            bare.map((run) => run.requestsPerSecond),
            0,
          ),
          summary(bare.map(cpu)),
          `bare / bare: ${summary(noise, 3)}`,
        ],
        [
          'with `httpServer()` attached',
          summary(
            us.map((run) => run.requestsPerSecond),
            0,
          ),
          summary(us.map(cpu)),
          `us / bare: ${summary(ours, 3)}`,
        ],
      ],
    ),
    '',
  ].join('\n')
}

function renderMemory(results: Results): string {
  if (results.memory.length === 0) return ''
  const bare = results.memory.map((round) => round.bare.perConnection)
  const us = results.memory.map((round) => round.us.perConnection)
  const ratios = results.memory.map((round) => round.us.perConnection / round.bare.perConnection)
  const met = Math.max(...ratios) <= MEMORY_TARGET_RATIO
  return [
    '',
    '### Memory per idle keep-alive connection',
    '',
    `${MEMORY_CONNECTIONS} keep-alive connections from a client process, each made one request and sits idle; the ` +
      "server process's heap (`--expose-gc`, a full GC before each reading) after them minus before them, per " +
      `connection. ${results.memory.length} rounds, each a bare run and a run with \`httpServer()\` (alternating); ` +
      `the ratio is taken within each round. Target: ≤ ${MEMORY_TARGET_RATIO}× the bare server.`,
    '',
    table(
      ['', 'heap bytes / idle connection', 'ratio to bare (per round)'],
      [
        ['bare `node:http`', summary(bare, 0), '–'],
        [
          'with `httpServer()` attached',
          summary(us, 0),
          `${summary(ratios, 3)} (${ratios.map((r) => r.toFixed(3)).join(', ')}) ${met ? 'met' : '**not met**'}`,
        ],
      ],
    ),
    '',
  ].join('\n')
}

function renderTargets(results: Results, contenders: readonly Variant[]): string {
  const out: string[] = ['', '### Targets (issues 4 and 13) met?', '']
  const us = 'us'
  for (const kind of ['raw', 'agent']) {
    const runs = s3Of(results, us, kind)
    if (runs.length === 0) continue
    const clean = runs.filter((run) => failedAfterSend(run.tally) === 0 && run.unsent === 0).length
    const exits = runs.map((run) => run.exitMs ?? Number.POSITIVE_INFINITY)
    const maxExit = Math.max(...exits)
    const met = clean === runs.length && maxExit <= 1_000
    out.push(
      `- S3 ${kind}: ${met ? '**met**' : '**missed**'}: clean (0 failed after send, 0 unsent) in ${clean}/${runs.length} runs ` +
        `(worst: ${Math.max(...runs.map((run) => failedAfterSend(run.tally)))} failed, ` +
        `${Math.max(...runs.map((run) => run.unsent))} unsent); exits under load within ` +
        `${Number.isFinite(maxExit) ? `${maxExit.toFixed(0)} ms` : 'never'} of the trigger (target 1000 ms).`,
    )
  }
  const s2 = results.s2.get(us) ?? []
  if (s2.length) {
    const ours = median(s2.map((run) => run.lastToExitMs ?? Number.POSITIVE_INFINITY))
    const peers = contenders
      .filter((variant) => variant !== us)
      .map((variant) => ({
        variant,
        median: median(
          (results.s2.get(variant) ?? []).map((run) => run.lastToExitMs ?? Number.POSITIVE_INFINITY),
        ),
      }))
      .filter((peer) => Number.isFinite(peer.median))
      .sort((a, b) => a.median - b.median)
    const best = peers[0]
    const all = s2.every((run) => run.completed === S2_REQUESTS)
    const met = all && (!best || ours < best.median)
    out.push(
      `- S2: ${met ? '**met**' : '**missed**'}: ${all ? 'all' : 'NOT all'} ${S2_REQUESTS} completed in every run; last response → exit ` +
        `${ours.toFixed(1)} ms vs the best peer's median ${best ? `${best.median.toFixed(1)} ms (${LABELS[best.variant]})` : '–'}.`,
    )
  }
  const s1 = results.s1.get(us) ?? []
  const floor = results.s1.get('exit') ?? []
  if (s1.length && floor.length) {
    const ours = median(s1.map((run) => run.exitMs ?? Number.POSITIVE_INFINITY))
    const base = median(floor.map((run) => run.exitMs ?? Number.POSITIVE_INFINITY))
    const over = ours - base
    const grace = DEFAULTS.http.idleGrace
    const peers = contenders
      .filter((variant) => variant !== us)
      .map((variant) =>
        median((results.s1.get(variant) ?? []).map((run) => run.exitMs ?? Number.POSITIVE_INFINITY)),
      )
      .filter(Number.isFinite)
    const peerRange = peers.length
      ? `${Math.min(...peers).toFixed(1)}–${Math.max(...peers).toFixed(1)} ms`
      : '–'
    out.push(
      `- S1: ${over <= grace ? '**met**' : `**missed** by ${(over - grace).toFixed(1)} ms`}: ${ours.toFixed(1)} ms vs the ` +
        `\`process.exit()\` floor's ${base.toFixed(1)} ms, ${over.toFixed(1)} ms above it, of which ${grace} ms is the ` +
        `default idle grace; without the grace that is ${(ours - grace).toFixed(1)} ms, against the peers' ${peerRange} ` +
        '(they close the same idle sockets, at the trigger). The grace is the window in which a request already on ' +
        'the wire to an idle connection is still answered (with `Connection: close`): see the S2 idle keep-alive ' +
        'column, where every peer closes that connection under the request.',
    )
  }
  const delayed = s1Exits(results, 'us-delay')
  if (delayed.length && floor.length) {
    const ours = median(delayed.map((ms) => ms ?? Number.POSITIVE_INFINITY))
    const base = median(floor.map((run) => run.exitMs ?? Number.POSITIVE_INFINITY))
    out.push(
      `- S1 behind \`drainDelay(${DRAIN_DELAY_MS})\`: ${ours - base <= 10 ? '**met**' : `**missed** by ${(ours - base - 10).toFixed(1)} ms`}: ` +
        `exit ${ours.toFixed(1)} ms after the delay ended vs the floor's ${base.toFixed(1)} ms (target: floor + 10 ms): ` +
        'idle connections that stayed idle through the delay close the moment the drain begins.',
    )
  }
  const grace0 = s1InServer(results, 'us-grace0')
  if (grace0.length) {
    const ours = median(grace0.map((ms) => ms ?? Number.POSITIVE_INFINITY))
    const peers = contenders
      .filter((variant) => variant !== us)
      .map((variant) => ({
        variant,
        median: median(s1InServer(results, variant).map((ms) => ms ?? Number.POSITIVE_INFINITY)),
      }))
      .filter((peer) => Number.isFinite(peer.median))
      .sort((a, b) => a.median - b.median)
    const range = peers.length
      ? `${peers[0]?.median.toFixed(1)}–${peers[peers.length - 1]?.median.toFixed(1)} ms`
      : '–'
    const worst = peers[peers.length - 1]?.median ?? Number.NaN
    out.push(
      `- S1 with \`idleGrace: 0\`, trigger → exit inside the server: ${ours <= worst ? '**on par**' : '**slower**'}: ` +
        `${ours.toFixed(1)} ms vs the peers' ${range}.`,
    )
  }
  if (results.s4.length) {
    const cpu = (run: S4Run) => run.cpuPerRequestUs
    const noise = results.s4.map((round) => cpu(round.bareB) / cpu(round.bareA))
    const ours = median(
      results.s4.map((round) => cpu(round.us) / ((cpu(round.bareA) + cpu(round.bareB)) / 2)),
    )
    const band = Math.max(...noise.map((ratio) => Math.abs(ratio - 1)))
    const met = Math.abs(ours - 1) <= band
    out.push(
      `- S4: ${met ? '**met**' : '**missed**'}: CPU/request us / bare ${ours.toFixed(3)}, bare-vs-bare band ±${(band * 100).toFixed(1)} %.`,
    )
  }
  const timeout = results.timeout.get(us) ?? []
  if (timeout.length) {
    const over = timeout.map((run) => (run.exitMs ?? Number.POSITIVE_INFINITY) - BUDGET_MS)
    const late = median(over)
    const floor = (results.timeout.get('exit') ?? []).map((run) => run.exitMs ?? Number.NaN)
    out.push(
      `- Timeout: ${late <= 15 ? '**met**' : `**missed** by ${(late - 15).toFixed(1)} ms`} (median): exit at the budget + ` +
        `${summary(over)} ms (target ≤ 15 ms)` +
        (floor.length
          ? `; a bare \`process.exit()\` takes ${summary(floor)} ms from the signal to the exit event.`
          : '.'),
    )
  }
  if (results.errors.length)
    out.push('', 'Errors during the run:', ...results.errors.map((error) => `- ${error}`))
  return `${out.join('\n')}\n`
}
