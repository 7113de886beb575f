/** @internal What pino (and sonic-boom) expose: `flush(cb)` writes what the logger buffers. */
interface Flushable {
  flush(callback?: (error?: Error | null) => void): void
}

function isFlushable(value: unknown): value is Flushable {
  return value !== null && typeof value === 'object' && typeof (value as Flushable).flush === 'function'
}

/** Never rejects: a logger that fails to flush must not stop the process from exiting. */
function flushLogger(logger: unknown): Promise<void> {
  if (!isFlushable(logger)) return Promise.resolve()
  return new Promise((resolve) => {
    try {
      // A `flush()` without a callback parameter (older pino) is synchronous.
      if (logger.flush.length === 0) {
        logger.flush()
        resolve()
      } else {
        logger.flush(() => resolve())
      }
    } catch {
      resolve()
    }
  })
}

/**
 * On POSIX, stdout and stderr are asynchronous when they are pipes (Docker, Kubernetes, systemd,
 * a parent process): `process.exit()` drops whatever they still hold. An empty write calls back
 * once every earlier write has reached the pipe.
 */
function drain(stream: NodeJS.WritableStream & { writableLength?: number; writableEnded?: boolean }) {
  if (stream.writableEnded || !stream.writable || stream.writableLength === 0) return Promise.resolve()
  return new Promise<void>((resolve) => {
    try {
      stream.write('', () => resolve())
    } catch {
      resolve()
    }
  })
}

/**
 * @internal Bytes stdout and stderr still hold: what a reader has not taken from their pipes yet.
 * A pipe's stream keeps one large write pending, so its `writableLength` stays the same until all
 * of it is written; libuv's queue (`writeQueueSize` of Node's handle, where there is one) is what
 * shrinks as the reader takes it.
 */
export function pendingOutput(): number {
  const held = (stream: NodeJS.WritableStream & { writableLength?: number; _handle?: unknown }): number => {
    const queued = (stream._handle as { writeQueueSize?: unknown } | null | undefined)?.writeQueueSize
    return (stream.writableLength ?? 0) + (typeof queued === 'number' ? queued : 0)
  }
  return held(process.stdout) + held(process.stderr)
}

/** @internal Waits until the logger, then stdout and stderr, have written what they hold. */
export async function flushOutput(logger: unknown): Promise<void> {
  await flushLogger(logger)
  await Promise.all([drain(process.stdout), drain(process.stderr)])
}

/** @internal Settles when `promise` settles or after `ms`, whichever is first; never rejects. */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  return Promise.race([promise.then(noop, noop), cap]).finally(() => clearTimeout(timer))
}

function noop(): void {}
