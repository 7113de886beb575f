/**
 * A worker's loop (or a consumer's source) failed. Thrown by the component's stop hook, so it is in
 * the `ShutdownReport`; the original error is `cause`.
 *
 * @example
 * ```ts
 * if (hook.error instanceof WorkerCrashedError) console.error(hook.error.worker, hook.error.cause)
 * ```
 */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError'
  readonly code = 'GL_ERR_WORKER_CRASHED'
  constructor(
    /** The component's name. */
    readonly worker: string,
    cause: unknown,
    /** `true` when it failed after its signal had aborted (while stopping), `false` when it crashed before. */
    readonly whileStopping: boolean,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(
      whileStopping
        ? `Worker \`${worker}\` failed while stopping: ${detail}`
        : `Worker \`${worker}\` crashed before the stop: ${detail}`,
      { cause },
    )
  }
}
