/**
 * @internal One process listener per event, shared by every `handleSignals()` in the process, so
 * that a test file with a hundred lifecycles adds one SIGTERM listener, not a hundred (no
 * MaxListenersExceededWarning). The listener goes away with its last subscriber, which gives
 * SIGINT back to Node's default (exit on Ctrl+C) and lets an IPC channel unref.
 */

type Handler = (...args: never[]) => void
type Dispatch = (...args: unknown[]) => void

interface Slot {
  readonly handlers: Set<Handler>
  readonly dispatch: Dispatch
}

const slots = new Map<string, Slot>()

// `process.on` is typed per event name; the registry only passes names through.
const emitter = process as unknown as {
  on(event: string, listener: Dispatch): unknown
  removeListener(event: string, listener: Dispatch): unknown
}

/** @internal Adds `handler` for a process event; returns its removal (idempotent). */
export function subscribe(event: string, handler: Handler): () => void {
  let slot = slots.get(event)
  if (!slot) {
    const handlers = new Set<Handler>()
    // A copy: a handler may unsubscribe itself (or another) while the event is dispatched.
    const dispatch: Dispatch = (...args) => {
      for (const each of [...handlers]) (each as Dispatch)(...args)
    }
    slot = { handlers, dispatch }
    slots.set(event, slot)
    emitter.on(event, dispatch)
  }
  const current = slot
  current.handlers.add(handler)
  return () => {
    if (!current.handlers.delete(handler) || current.handlers.size > 0) return
    emitter.removeListener(event, current.dispatch)
    if (slots.get(event) === current) slots.delete(event)
  }
}
