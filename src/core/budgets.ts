import type { ResolvedOptions } from './options.js'
import type { Entry } from './run.js'

/** @internal Budgets of the lifecycle itself that cannot fit in its grace period. */
export function checkLifecycleBudgets(options: ResolvedOptions): string[] {
  const { gracePeriod, timeout, finalGrace } = options
  if (gracePeriod === undefined || timeout + finalGrace <= gracePeriod) return []
  return [
    `\`timeout\` (${timeout} ms) + \`finalGrace\` (${finalGrace} ms) exceeds \`gracePeriod\` (${gracePeriod} ms): ` +
      'the platform would kill the process before the stop ends',
  ]
}

const NONE: readonly string[] = []

/** @internal One component's budget that cannot fit (checked at every registration: nothing allocated when all fit). */
export function checkEntryBudget(options: ResolvedOptions, entry: Entry): readonly string[] {
  if (entry.stop === undefined || (entry.timeout <= options.timeout && options.gracePeriod === undefined))
    return NONE
  const warnings: string[] = []
  if (entry.stop !== undefined && entry.timeout > options.timeout) {
    warnings.push(
      `component \`${entry.name}\`: its stop budget (${entry.timeout} ms) exceeds the whole stop's \`timeout\` (${options.timeout} ms)`,
    )
  }
  if (entry.stop !== undefined && options.gracePeriod !== undefined && entry.timeout > options.gracePeriod) {
    warnings.push(
      `component \`${entry.name}\`: its stop budget (${entry.timeout} ms) exceeds \`gracePeriod\` (${options.gracePeriod} ms)`,
    )
  }
  return warnings
}

/** The worst case of a stop: each phase as long as its longest budget (or their sum, when sequential). */
function worstCase(options: ResolvedOptions, entries: Iterable<Entry>): number {
  const phases = new Map<number, number[]>()
  for (const entry of entries) {
    if (entry.stop === undefined) continue
    const list = phases.get(entry.priority) ?? []
    list.push(entry.timeout)
    phases.set(entry.priority, list)
  }
  let worst = 0
  for (const budgets of phases.values()) {
    worst += options.sequential ? budgets.reduce((a, b) => a + b, 0) : Math.max(...budgets)
  }
  return worst
}

/**
 * @internal Phases whose worst case exceeds `timeout`: the last phases would then run with aborted
 * signals. Common and often intended (the deadline is the backstop), so only `checkBudgets()` says it.
 */
export function checkPhaseTimeout(options: ResolvedOptions, entries: Iterable<Entry>): string[] {
  const worst = worstCase(options, entries)
  if (worst <= options.timeout) return []
  return [
    `the phases' budgets add up to ${worst} ms, more than the whole stop's \`timeout\` (${options.timeout} ms): ` +
      'if every hook used its budget, the last phases would run with aborted signals',
  ]
}

/** @internal The worst-case stop against `gracePeriod`: reported by `start()`. */
export function checkPhaseGrace(options: ResolvedOptions, entries: Iterable<Entry>): string[] {
  if (options.gracePeriod === undefined) return []
  const worst = Math.min(worstCase(options, entries), options.timeout) + options.finalGrace
  if (worst <= options.gracePeriod) return []
  return [`the worst-case stop (${worst} ms) exceeds \`gracePeriod\` (${options.gracePeriod} ms)`]
}

/** @internal Everything `lifecycle.checkBudgets()` reports, components' own checks included. */
export function checkAllBudgets(options: ResolvedOptions, entries: readonly Entry[]): string[] {
  return [
    ...checkLifecycleBudgets(options),
    ...entries.flatMap((entry) => [
      ...checkEntryBudget(options, entry),
      ...(entry.budgetCheck?.({ ...options, name: entry.name }) ?? []),
    ]),
    ...checkPhaseTimeout(options, entries),
    ...checkPhaseGrace(options, entries),
  ]
}
