// Plain JavaScript, not TypeScript: tsx's transform would tax the baselines and not the package.

/**
 * What a user would write by hand: each priority's hooks with `Promise.all`, in order.
 * @param {readonly (() => Promise<void>)[][]} groups @returns {Promise<number>}
 */
export async function direct(groups) {
  const started = performance.now()
  for (const group of groups) await Promise.all(group.map((hook) => hook()))
  return performance.now() - started
}

/**
 * The least any engine can do that keeps a record per hook (name, status, start, duration), reads
 * the clock once per hook (so a hook that blocks the loop is measured) and awaits each hook with
 * its own reaction: no budgets, no signals, no events. What `stop()` costs beyond this is ours.
 */
/** @param {readonly (() => Promise<void>)[][]} groups @returns {Promise<number>} */
export async function floor(groups) {
  const started = performance.now()
  const phases = []
  for (const group of groups) {
    const rows = []
    let at = performance.now()
    let pending = group.length
    // One clock read per microtask drain for hooks that settle together, as the engine does.
    let cached
    const clear = () => {
      cached = undefined
    }
    let done
    const all = new Promise((resolve) => {
      done = resolve
    })
    for (const hook of group) {
      const row = { name: 'hook', status: 'skipped', startMs: at, durationMs: 0 }
      rows.push(row)
      const result = hook()
      at = performance.now()
      result.then(() => {
        row.status = 'ok'
        if (cached === undefined) {
          cached = performance.now()
          queueMicrotask(clear)
        }
        row.durationMs = cached - row.startMs
        if (--pending === 0) done()
      })
    }
    await all
    phases.push(rows)
  }
  return performance.now() - started
}
