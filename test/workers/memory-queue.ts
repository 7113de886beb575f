import type { PullSource, PushSource } from '../../src/workers/index.js'

/** An in-memory queue with what a test needs to count: what was acked, nacked, handed back. */
export class MemoryQueue {
  readonly items: number[]
  readonly acked: number[] = []
  readonly nacked: number[] = []
  readonly requeued: number[] = []
  pauses = 0
  resumes = 0

  constructor(count: number) {
    this.items = Array.from({ length: count }, (_, index) => index)
  }

  pull(): PullSource<number> {
    return {
      next: () => this.items.shift(),
      requeue: (items) => this.#requeue(items),
      ack: (item) => void this.acked.push(item),
      nack: (item) => void this.nacked.push(item),
    }
  }

  /** Pushes items from a timer while not paused, the way a broker delivers. */
  push(): PushSource<number> {
    let paused = false
    let push: ((item: number) => boolean) | undefined
    const pump = (): void => {
      while (!paused && push && this.items.length > 0) push(this.items.shift() as number)
    }
    return {
      subscribe: (p, signal) => {
        push = p
        const timer = setInterval(pump, 1)
        signal.addEventListener('abort', () => clearInterval(timer))
        pump()
      },
      pause: () => {
        paused = true
        this.pauses++
      },
      resume: () => {
        paused = false
        this.resumes++
        setImmediate(pump)
      },
      requeue: (items) => this.#requeue(items),
      ack: (item) => void this.acked.push(item),
      nack: (item) => void this.nacked.push(item),
    }
  }

  #requeue(items: number[]): void {
    this.requeued.push(...items)
    this.items.unshift(...items)
  }
}
