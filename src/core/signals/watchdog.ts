/** `_type` is how Node tells its stdio streams apart: 'pipe', 'tty' or 'fs'. */
type StdioStream = NodeJS.WriteStream & { _type?: string }

/** The resource each stdio stream shows up as in `process.getActiveResourcesInfo()`. */
function stdioResources(): string[] {
  const names: Record<string, string> = { pipe: 'PipeWrap', tty: 'TTYWrap' }
  return [process.stdout as StdioStream, process.stderr as StdioStream].flatMap((stream) => {
    const name = names[stream._type ?? '']
    return name === undefined ? [] : [name]
  })
}

/**
 * @internal What keeps the event loop alive, for a person to read: `Timeout (×2), TCPServerWrap`.
 * Unref'd timers and handles are not listed by Node. A stdout/stderr pipe that has been written
 * to is listed but does not hold the process, so one per stream is left out.
 */
export function describeActiveResources(
  resources: readonly string[] = process.getActiveResourcesInfo(),
  stdio: readonly string[] = stdioResources(),
): string {
  const left = [...resources]
  for (const name of stdio) {
    const index = left.indexOf(name)
    if (index !== -1) left.splice(index, 1)
  }
  if (left.length === 0) return 'nothing but stdout/stderr'
  const counts = new Map<string, number>()
  for (const resource of left) counts.set(resource, (counts.get(resource) ?? 0) + 1)
  return [...counts].map(([name, count]) => (count === 1 ? name : `${name} (×${count})`)).join(', ')
}

/** @internal An unref'd timer: it reports a process that outlives its stop, never keeps one alive. */
export function startWatchdog(ms: number, onExpire: () => void): () => void {
  const timer = setTimeout(onExpire, ms)
  timer.unref()
  return () => clearTimeout(timer)
}
