/**
 * @internal `lifecycle.signal`, whose abort listeners cannot end the process. An `AbortSignal`
 * reports a listener that throws as an uncaught exception on the next tick, which would kill a
 * service mid-stop (issue 18.1); the package owns this signal, so a listener of it is user code the
 * stop contains, as it contains its event listeners: `onError` hears the error, the stop goes on.
 * Listeners of signals derived from it (`AbortSignal.any`) are not ours to wrap.
 */
export function stoppingSignal(controller: AbortController, onError: (error: unknown) => void): AbortSignal {
  const signal = controller.signal
  const add = signal.addEventListener.bind(signal)
  const remove = signal.removeEventListener.bind(signal)
  const wrapped = new WeakMap<object, (event: Event) => void>()
  const contain = (listener: EventListenerOrEventListenerObject): ((event: Event) => void) => {
    let wrapper = wrapped.get(listener)
    if (wrapper === undefined) {
      wrapper = (event) => {
        try {
          if (typeof listener === 'function') listener.call(signal, event)
          else listener.handleEvent(event)
        } catch (error) {
          onError(error)
        }
      }
      wrapped.set(listener, wrapper)
    }
    return wrapper
  }
  const isListener = (listener: unknown): listener is EventListenerOrEventListenerObject =>
    typeof listener === 'function' || (typeof listener === 'object' && listener !== null)
  Object.defineProperties(signal, {
    addEventListener: {
      value: (type: string, listener: unknown, options?: boolean | AddEventListenerOptions) =>
        type === 'abort' && isListener(listener)
          ? add(type, contain(listener), options)
          : add(type, listener as EventListenerOrEventListenerObject, options),
    },
    removeEventListener: {
      value: (type: string, listener: unknown, options?: boolean | EventListenerOptions) =>
        remove(type, (isListener(listener) && wrapped.get(listener)) || (listener as EventListener), options),
    },
    onabort: {
      get: () => handler,
      set: (value: unknown) => {
        if (handler !== null) remove('abort', contain(handler))
        handler = typeof value === 'function' ? (value as EventListener) : null
        if (handler !== null) add('abort', contain(handler))
      },
    },
  })
  let handler: EventListener | null = null
  return signal
}
