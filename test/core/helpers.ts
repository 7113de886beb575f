import { Lifecycle, type LifecycleOptions, type ShutdownReport } from '../../src/index.js'

/** A lifecycle that writes nothing: tests that check the logger pass their own. */
export function quiet(options: LifecycleOptions = {}): Lifecycle {
  return new Lifecycle({ logger: false, ...options })
}

export interface Deferred<T = void> {
  promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A promise that never settles. */
export const never = (): Promise<never> => new Promise<never>(() => {})

/** Every hook of a report, by name. */
export function hooksByName(
  report: ShutdownReport,
): Map<string, ShutdownReport['phases'][number]['hooks'][number]> {
  return new Map(report.phases.flatMap((phase) => phase.hooks.map((hook) => [hook.name, hook] as const)))
}

/** What a settled promise ended with, without an unhandled rejection. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise }
  } catch (error) {
    return { error }
  }
}

/** The value, or a failed test when it is missing. */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected a ${what}`)
  return value
}
