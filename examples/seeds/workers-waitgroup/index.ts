/**
 * Seed 004: two goroutines watch one `context.WithCancel`, a `sync.WaitGroup` waits for both. Here
 * `lifecycle.signal` is the context (it aborts the moment the stop begins) and `lifecycle.track()`
 * is the WaitGroup (the stop waits for every tracked task). The output is the seed's.
 *
 *   npx tsx examples/seeds/workers-waitgroup/index.ts    # then Ctrl+C
 *
 * `TICK_MS` (default 3000) is each worker's pause. (For loops that live as long as the process,
 * `worker()` from `graceful-lifecycle/workers` is the component to use; this mirrors the seed.)
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Lifecycle } from 'graceful-lifecycle'

const tickMs = Number(process.env.TICK_MS ?? 3_000)
const lifecycle = new Lifecycle({ timeout: 10_000, logger: false })

async function run(name: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    console.log(`running process ${name}`)
    await sleep(tickMs, undefined, { signal }).catch(() => {})
  }
  console.log(`gracefully stop process ${name}`)
}

lifecycle.on('stopping', () => console.log('\nreceive terminate signal, start graceful stop process'))
lifecycle.on('stopped', () => console.log('done!'))
lifecycle.handleSignals()
await lifecycle.start()
lifecycle.track((signal) => run('one', signal))
lifecycle.track((signal) => run('two', signal))
