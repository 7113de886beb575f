/**
 * Defaults of `nestApp()`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * nestApp(app, { closeTimeout: NEST_DEFAULTS.closeTimeout * 2 })
 * ```
 */
export const NEST_DEFAULTS = {
  /** Component name. */
  name: 'nest',
  /**
   * The part of the component's budget kept for `app.close()` (Nest's `onModuleDestroy`,
   * `beforeApplicationShutdown` and `onApplicationShutdown` hooks), in ms: the drain ends, destroying
   * what is left, this long before the budget does. At most half of the budget.
   */
  closeTimeout: 5_000,
} as const
