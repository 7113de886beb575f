import { Lifecycle, type LifecycleOptions } from '../../src/index.js'

/** A console-shaped logger that keeps what it is given; `line(pattern)` waits for a line. */
export function memoryLogger(): {
  lines: string[]
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
  line(pattern: RegExp): Promise<string>
} {
  const lines: string[] = []
  const waiting = new Set<{ pattern: RegExp; resolve: (line: string) => void }>()
  const keep = (...args: unknown[]): void => {
    const line = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')
    lines.push(line)
    for (const waiter of waiting) {
      if (!waiter.pattern.test(line)) continue
      waiting.delete(waiter)
      waiter.resolve(line)
    }
  }
  const line = (pattern: RegExp): Promise<string> => {
    const found = lines.find((candidate) => pattern.test(candidate))
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve) => waiting.add({ pattern, resolve }))
  }
  return { lines, info: keep, warn: keep, error: keep, line }
}

export function lifecycleWith(options: LifecycleOptions = {}): Lifecycle {
  return new Lifecycle({ timeout: 5_000, hookTimeout: 2_000, logger: false, ...options })
}

/** What Node does when the signal arrives, without sending one to the test runner. */
export function deliver(signal: NodeJS.Signals): void {
  process.emit(signal, signal)
}

/** Resolves with the first code `exit` is called with. */
export function exitRecorder(): { exit: (code: number) => void; codes: number[]; exited: Promise<number> } {
  const codes: number[] = []
  let resolve: (code: number) => void = () => {}
  const exited = new Promise<number>((r) => {
    resolve = r
  })
  return {
    codes,
    exited,
    exit: (code) => {
      codes.push(code)
      resolve(code)
    },
  }
}
