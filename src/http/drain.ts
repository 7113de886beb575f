import type { StopContext } from '../core/types.js'
import { Connections } from './connections.js'
import { Listener } from './listener.js'
import type { ResolvedHttpOptions } from './options.js'
import { RequestSignals } from './request-signal.js'
import { describeRuntime } from './runtime.js'
import { addServerListeners } from './server-listeners.js'
import type { HttpDrainDetails, ServerLike } from './types.js'
import { closeWebSockets, terminateWebSockets } from './websockets.js'

/**
 * Where the drain of one server stands. Each state is entered once, in this order (a stop may
 * skip straight to a later one):
 *
 * - `tracking`: registered; connections are tracked, nothing else happens.
 * - `retiring`: the stop began (`lifecycle.signal` aborted, at the start of its first phase, so
 *   during a drain delay): the server serves exactly as before, keep-alive included; only the
 *   idle grace of each connection counts from here.
 * - `draining`: this component's hook runs: the listener closes once the backlog is drained,
 *   then every response says `Connection: close` (HTTP/2: GOAWAY), in-flight responses finish,
 *   idle connections close when their grace ends (at once when the retiring lasted at least
 *   `idleGrace`), WebSockets get a close frame.
 * - `finished`: every connection is gone, or the hook's signal aborted and they were destroyed.
 */
export type DrainState = 'tracking' | 'retiring' | 'draining' | 'finished'

/** @internal The `httpServer()` component's state machine. */
export class Drain {
  #state: DrainState = 'tracking'
  readonly #server: ServerLike
  readonly #options: ResolvedHttpOptions
  readonly #signals = new RequestSignals()
  readonly #connections: Connections
  readonly #listener: Listener
  #details: HttpDrainDetails = emptyDetails()
  #timers: NodeJS.Timeout[] = []
  #settle: (() => void) | undefined = undefined

  constructor(server: ServerLike, options: ResolvedHttpOptions) {
    this.#server = server
    this.#options = options
    this.#connections = new Connections(
      server,
      this.#signals,
      {
        closed: () => this.#check(),
        // A WebSocket opened during the drain: close it too, once `ws` has finished its handshake.
        upgraded: () => this.#later(() => this.#closeWebSockets(), 0),
      },
      this.#details,
    )
    this.#listener = new Listener(
      server,
      () => this.#connections.accepted,
      // No client is told to leave while the backlog is still being accepted.
      () => this.#connections.listenerClosed(),
      () => this.#check(),
    )
  }

  /**
   * `tracking` begins: at registration. `stopping` aborting moves it to `retiring`. Returns what
   * removes every listener again (the component was unregistered outside a stop).
   */
  attach(stopping: AbortSignal): () => void {
    const detach = addServerListeners(this.#server, this.#connections)
    try {
      this.#connections.track()
    } catch (error) {
      detach()
      throw error
    }
    const retire = (): void => this.#retire()
    if (stopping.aborted) retire()
    else stopping.addEventListener('abort', retire, { once: true })
    return () => {
      stopping.removeEventListener('abort', retire)
      detach()
    }
  }

  #retire(): void {
    if (this.#state !== 'tracking') return
    this.#state = 'retiring'
    this.#connections.retire()
  }

  /** The component's stop hook: `draining` until every connection is gone, then `finished`. */
  drain({ signal, deadline, details }: StopContext): Promise<void> {
    const counts = Object.assign(details, emptyDetails()) as unknown as HttpDrainDetails
    describeRuntime(details)
    if (this.#state === 'finished') return Promise.resolve()
    this.#retire()
    this.#state = 'draining'
    this.#details = counts
    return new Promise<void>((resolve) => {
      const onAbort = (): void => this.#abort(signal.reason)
      this.#settle = () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
      this.#listener.closeAfterBacklog()
      this.#connections.drain(this.#options.idleGrace, counts)
      // Run after the deadline (already aborted): nothing left to wait for.
      if (signal.aborted) return this.#abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      this.#closeWebSockets()
      const abortIn = deadline - this.#options.requestAbortLead - Date.now()
      const reason = (): DOMException =>
        new DOMException(`The drain of \`${this.#options.name}\` is about to run out of time`, 'TimeoutError')
      if (abortIn <= 0) this.#signals.abortAll(reason())
      else this.#later(() => this.#signals.abortAll(reason()), abortIn)
      this.#check()
    })
  }

  #check(): void {
    if (this.#state !== 'draining' || !this.#listener.closed || !this.#connections.empty) return
    this.#finish()
  }

  #abort(reason: unknown): void {
    if (this.#state === 'finished') return
    this.#listener.close()
    this.#signals.abortAll(reason)
    this.#connections.destroyAll()
    terminateWebSockets(this.#options.webSocketServer)
    this.#finish()
  }

  #finish(): void {
    this.#state = 'finished'
    this.#connections.finish()
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers = []
    this.#settle?.()
  }

  #closeWebSockets(): void {
    if (this.#state !== 'draining') return
    this.#details.webSockets += closeWebSockets(this.#options.webSocketServer, this.#options.webSocketReason)
  }

  #later(fn: () => void, ms: number): void {
    this.#timers.push(setTimeout(fn, ms))
  }
}

function emptyDetails(): HttpDrainDetails {
  return { connections: 0, idleClosed: 0, drained: 0, destroyed: 0, requests: 0, webSockets: 0 }
}
