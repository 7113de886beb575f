/**
 * Defaults of `httpServer()`, in one place: the code, the docs and the tests read these.
 *
 * @example
 * ```ts
 * httpServer(server, { idleGrace: HTTP_DEFAULTS.idleGrace * 2 })
 * ```
 */
export const HTTP_DEFAULTS = {
  /** Component name. */
  name: 'http',
  /**
   * How long an idle keep-alive connection must have been quiet before the drain closes it, in
   * ms, counted from the stop's start (or from the end of its last keep-alive response, when
   * later). A request that arrives on it meanwhile (one already on the wire at the trigger, or a
   * pooled socket picked by a client under load) is answered with `Connection: close`. From the
   * stop's start every response says `Connection: close`, so behind a `drainDelay()` at least this
   * long, idle connections close the moment the drain begins; without one they get the full grace.
   * HTTP/2 sessions get a GOAWAY notice when the stop begins and the final GOAWAY by the same rule.
   */
  idleGrace: 500,
  /**
   * How long before the drain's deadline every `requestSignal(req)` aborts, in ms, so that
   * long-polling and server-sent-event handlers end their responses instead of being cut. When
   * the drain's budget is shorter than this, they abort the moment the drain begins.
   */
  requestAbortLead: 1_000,
  /**
   * The longest the listener stays open after the drain begins, in ms, while Node still accepts
   * connections that the kernel had already accepted (their handshake done, their request maybe
   * sent): Node takes one from the listen backlog per event-loop turn, and closing the listener
   * with some left would reset them. It closes as soon as a loop turn accepts nothing, usually
   * within a millisecond or two; this caps a flood.
   */
  backlogDrainCap: 100,
  /** The close reason sent to WebSocket clients with code 1001. */
  webSocketReason: 'Server shutting down',
} as const
