/**
 * Defaults of `fastifyApp()`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * fastifyApp(app, { closeTimeout: FASTIFY_DEFAULTS.closeTimeout * 2 })
 * ```
 */
export const FASTIFY_DEFAULTS = {
  /** Component name. */
  name: 'fastify',
  /**
   * The part of the component's budget kept for `app.close()` (Fastify's `preClose` and `onClose`
   * hooks), in ms: the drain ends, destroying what is left, this long before the budget does. At
   * most half of the budget.
   */
  closeTimeout: 2_000,
} as const
