import type { EventEmitter } from 'eventemitter3'
import { ErrorCode } from './errors.js'
import type { Entry } from './hook-run.js'
import { round } from './hook-run.js'
import type { Log } from './logger.js'
import { type Run, runPhase } from './phase-runner.js'
import { Priority } from './priority.js'
import type { RunClock } from './run-clock.js'
import type { HookReport, LifecycleEvents, PhaseReport, RunKind, StopReason } from './types.js'

/** @internal What a start or a stop is given by its lifecycle. */
export interface RunSetup {
  readonly clock: RunClock
  readonly events: EventEmitter<LifecycleEvents>
  readonly log: Log
  readonly sequential: boolean
}

/** @internal A run under way: what `lifecycle.running` and the deadline's error read. */
export function createRun(kind: RunKind, setup: RunSetup, reason?: StopReason): Run {
  return { kind, reason, current: undefined, notOk: 0, ...setup }
}

/** @internal Groups by priority: highest first for a stop, lowest first for a start. */
export function phasesOf(entries: Iterable<Entry>, kind: RunKind): Entry[][] {
  const byPriority = new Map<number, Entry[]>()
  for (const entry of entries) {
    const group = byPriority.get(entry.priority)
    if (group) group.push(entry)
    else byPriority.set(entry.priority, [entry])
  }
  const sign = kind === 'stop' ? -1 : 1
  return [...byPriority.entries()].sort(([a], [b]) => sign * (a - b)).map(([, group]) => group)
}

/** @internal How a start ended. */
export interface StartOutcome {
  /** Hooks that failed or timed out, in the order they ran. */
  readonly failed: readonly HookReport[]
  /** The phase that was running when the start was cancelled, if any. */
  readonly interrupted: PhaseReport | undefined
  /** Every start hook ran and ended `ok` (a stop may still have begun meanwhile). */
  readonly complete: boolean
}

/**
 * @internal Starts phase after phase, lowest priority first, until one fails or a stop cancels
 * the start; each hook that ended `ok` marks its component started.
 */
export async function runStart(run: Run, entries: Iterable<Entry>): Promise<StartOutcome> {
  const failed: HookReport[] = []
  let interrupted: PhaseReport | undefined
  const phases = phasesOf(entries, 'start')
  let ran = 0
  for (const group of phases) {
    if (run.clock.state !== 'in-time') break
    ran++
    const phase = await runPhase(run, group)
    for (const hook of phase.hooks) if (hook.status !== 'ok' && hook.status !== 'skipped') failed.push(hook)
    if (run.clock.state !== 'in-time') interrupted = phase
    if (failed.length > 0) break
  }
  const complete =
    ran === phases.length &&
    failed.length === 0 &&
    interrupted?.hooks.every((h) => h.status === 'ok') !== false
  return { failed, interrupted, complete }
}

/** @internal The `WaitGroup` as a stop sees it: its hook, asked for when `WORKERS` is due. */
export interface TrackedWork {
  /** The hook that waits for what is tracked, if anything is. */
  entry(): Entry | undefined
  /** Work tracked from now on would never be waited for: refuse it. */
  close(): void
}

/**
 * @internal Stops phase after phase, highest priority first. Phases run whatever the clock says:
 * overdue, they run with aborted signals and `finalGrace`; forced, their hooks are `skipped`.
 * Tracked work is asked for when the `WORKERS` phase is due, not before: work tracked by an earlier
 * phase's hook (an HTTP request that `track()`s a task while it drains) is waited for too, and so is
 * work that a `WORKERS` hook tracks. Once that phase has ended, `track()` is refused.
 */
export async function runStop(
  run: Run,
  entries: Iterable<Entry>,
  tracked: TrackedWork,
): Promise<PhaseReport[]> {
  const phases: PhaseReport[] = []
  let waited = false
  // Synchronous when nothing was tracked: the next phase's hooks are called in the same turn.
  const waitForTracked = async (entry = tracked.entry()): Promise<void> => {
    for (; entry !== undefined; entry = tracked.entry()) phases.push(await runPhase(run, [entry]))
    tracked.close()
    waited = true
  }
  for (const group of phasesOf(entries, 'stop')) {
    const priority = group[0]?.priority ?? 0
    if (!waited && priority === Priority.WORKERS) {
      const entry = tracked.entry()
      phases.push(await runPhase(run, entry === undefined ? group : [...group, entry]))
      await waitForTracked()
      continue
    }
    if (!waited && priority < Priority.WORKERS) {
      const entry = tracked.entry()
      if (entry === undefined) {
        tracked.close()
        waited = true
      } else await waitForTracked(entry)
    }
    phases.push(await runPhase(run, group))
  }
  if (!waited) await waitForTracked()
  return phases
}

/**
 * @internal The hooks of an interrupted start that the start gave up on (they outlived their
 * budget, or the stop's deadline or force), as a `start` phase of the stop's report: offsets from
 * the stop's origin, so they are negative for a hook that began before the stop.
 */
export function abandonedStart(phase: PhaseReport | undefined, shift: number): PhaseReport | undefined {
  const hooks: HookReport[] = []
  for (const hook of phase?.hooks ?? []) {
    if (!isGivenUp(hook)) continue
    hooks.push({ ...hook, startMs: round(hook.startMs + shift) })
  }
  if (phase === undefined || hooks.length === 0) return undefined
  return { ...phase, startMs: round(phase.startMs + shift), hooks }
}

/** Timed out, or abandoned when the run was forced: not a hook that answered its abort. */
function isGivenUp(hook: HookReport): boolean {
  if (hook.status === 'timeout') return true
  const code = (hook.error as { code?: unknown } | undefined)?.code
  return hook.status === 'error' && code === ErrorCode.FORCED
}

/** @internal The names of what a run is waiting for right now. */
export function runningNames(runs: readonly (Run | undefined)[]): string[] {
  return runs.flatMap((run) => run?.current?.running() ?? [])
}
