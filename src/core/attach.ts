import type { Component } from './types.js'

/** What an attachment is told about the lifecycle that accepted its component. */
export interface AttachContext {
  /** `lifecycle.signal`: aborts the moment a stop begins (before this component's own phase). */
  readonly stopping: AbortSignal
}

/** What an integration does once `register()` has accepted its component; returns its undo. */
export type Attach = (context: AttachContext) => (() => void) | undefined

const attachments = new WeakMap<Component, Attach>()

/**
 * @internal For component factories: run `attach` (claim a server, add its listeners) only once
 * `register()` has accepted `component`, so a refused registration leaves nothing behind. The
 * function `attach` returns runs when the component is unregistered.
 */
export function whenRegistered<C extends Component>(component: C, attach: Attach): C {
  attachments.set(component, attach)
  return component
}

/** @internal Called by `register()` after every check has passed; returns the undo. */
export function attachRegistered(component: Component, context: AttachContext): (() => void) | undefined {
  const attach = attachments.get(component)
  if (attach === undefined) return undefined
  // One component object, one attachment: registering it on a second lifecycle claims nothing twice.
  attachments.delete(component)
  return attach(context)
}

/** What a component's own budget check is given: the lifecycle's resolved budgets. */
export interface BudgetContext {
  readonly timeout: number
  readonly gracePeriod: number | undefined
}

const budgetChecks = new WeakMap<Component, (budgets: BudgetContext) => string[]>()

/**
 * @internal For component factories whose budget depends on something only they know (a drain
 * delay against the balancer's detection time): `lifecycle.checkBudgets()` adds what `check` returns.
 */
export function withBudgetCheck<C extends Component>(
  component: C,
  check: (budgets: BudgetContext) => string[],
): C {
  budgetChecks.set(component, check)
  return component
}

/** @internal */
export function budgetCheckOf(component: Component): ((budgets: BudgetContext) => string[]) | undefined {
  return budgetChecks.get(component)
}
