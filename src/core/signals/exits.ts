/**
 * @internal The process-wide side of `handleSignals()`: every lifecycle that installed handlers in
 * this process is known here, so that the first one to finish its stop does not end the process
 * under another. The process exits once no stop is under way, with the worst code of the stops
 * that ended meanwhile (the highest: 0 clean, 1 not clean, 128 + n forced, or the application's).
 */

/** One `handleSignals()`, as this registry sees it: only its identity matters. */
export type Member = object

/** Members whose lifecycle's stop is under way and has not reached its exit yet. */
const underWay = new Set<Member>()
/** The exits of members whose stop ended, called together once `underWay` is empty. */
const waiting = new Map<Member, (code: number) => void>()
let worst: number | undefined

/** `member`'s lifecycle began to stop: no exit until it has ended. */
export function beginStop(member: Member): void {
  underWay.add(member)
}

/**
 * `member`'s stop ended with `code`. `exit`: how it ends the process (none: it never does, as with
 * `exit: false` or a stop that ends by itself). Every waiting exit is called, with the worst code,
 * once no other stop is under way; returns how many are still under way (0: it exited, or will).
 */
export function endStop(member: Member, code: number, exit: ((code: number) => void) | undefined): number {
  underWay.delete(member)
  worst = worst === undefined ? code : Math.max(worst, code)
  if (exit !== undefined) waiting.set(member, exit)
  return settle()
}

/** `member` was removed (its `dispose()`): it holds nothing up, and its exit is never called. */
export function leave(member: Member): void {
  underWay.delete(member)
  waiting.delete(member)
  settle()
}

function settle(): number {
  if (underWay.size > 0) return underWay.size
  const code = worst ?? 0
  const exits = [...waiting.values()]
  waiting.clear()
  worst = undefined
  // `process.exit` never returns: an injected exit runs first, the default one last.
  const ordered = exits.sort((a, b) => Number(a === defaultExit) - Number(b === defaultExit))
  for (const exit of ordered) exit(code)
  return 0
}

/** The default `exit`: one function, so that `settle()` can call it last. */
export function defaultExit(code: number): void {
  process.exit(code)
}
