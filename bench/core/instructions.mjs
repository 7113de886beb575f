// Plain JavaScript run under callgrind by `bench/core/callgrind.ts`: one process per step, so each
// step's instructions are a difference of two cold processes. Usage:
//   node --single-threaded bench/core/instructions.mjs <ours|sequential|avvio> <base|register|stop>
// `base` builds the hooks and loads the library; `register` adds the registration; `stop` adds one
// cold stop (avvio: `ready()` belongs to `register`, so its stop is `close()` alone).
import avvio from 'avvio'

const { Lifecycle } = await import(new URL('../../dist/index.js', import.meta.url).href)

const HOOKS = 10_000
const PRIORITIES = 100
const [variant = 'ours', step = 'base'] = process.argv.slice(2)
const hooks = Array.from({ length: HOOKS }, () => async () => {})
const names = Array.from({ length: HOOKS }, (_, i) => `hook-${i}`)

if (variant === 'avvio') {
  const app = avvio({}, { autostart: false })
  if (step !== 'base') {
    for (const hook of hooks) app.onClose(hook)
    await app.ready()
  }
  if (step === 'stop')
    await new Promise((resolve, reject) => app.close((error) => (error ? reject(error) : resolve())))
} else {
  const sequential = variant === 'sequential'
  const lifecycle = new Lifecycle({ logger: false, sequential })
  if (step !== 'base') {
    for (let i = 0; i < HOOKS; i++) {
      lifecycle.onStop(names[i], hooks[i], sequential ? undefined : { priority: i % PRIORITIES })
    }
  }
  if (step === 'stop') await lifecycle.stop()
}
