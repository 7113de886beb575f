type Listener = ((event: Event) => void) | { handleEvent(event: Event): void }
type Add = (type: string, listener: unknown, options?: unknown) => void

/**
 * @internal `lifecycle.signal`, whose abort listeners cannot end the process. An `AbortSignal`
 * reports a listener that throws as an uncaught exception on the next tick, which would kill a
 * service mid-stop (issue 18.1); the package owns this signal, so a listener of it is user code the
 * stop contains, as it contains its event listeners: `onError` hears the error, the stop goes on.
 * Listeners of signals derived from it (`AbortSignal.any`) are not ours to wrap.
 */
export function stoppingSignal(controller: AbortController, onError: (error: unknown) => void): AbortSignal {
  const signal = controller.signal
  const add = signal.addEventListener.bind(signal) as Add
  const remove = signal.removeEventListener.bind(signal) as Add
  const wrapped = new WeakMap<object, (event: Event) => void>()
  const contain = (listener: Listener): ((event: Event) => void) => {
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
  const isListener = (listener: unknown): listener is Listener =>
    typeof listener === 'function' || (typeof listener === 'object' && listener !== null)
  let handler: Listener | null = null
  Object.defineProperties(signal, {
    addEventListener: {
      value: (type: string, listener: unknown, options?: unknown) =>
        add(type, type === 'abort' && isListener(listener) ? contain(listener) : listener, options),
    },
    removeEventListener: {
      value: (type: string, listener: unknown, options?: unknown) =>
        remove(type, (isListener(listener) && wrapped.get(listener)) || listener, options),
    },
    onabort: {
      get: () => handler,
      set: (value: unknown) => {
        if (handler !== null) remove('abort', contain(handler))
        handler = typeof value === 'function' ? (value as Listener) : null
        if (handler !== null) add('abort', contain(handler))
      },
    },
  })
  return signal
}
