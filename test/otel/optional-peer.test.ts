import { describe, expect, test } from 'vitest'
import { ErrorCode, MissingPeerError } from '../../src/index.js'
import { loadApi } from '../../src/otel/api.js'
import { spawnAsync } from '../core/spawn.js'

/** Runs `code` in a fresh Node (tsx), from the repository's root, and returns what it printed. */
async function node(code: string): Promise<string> {
  const result = await spawnAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: new URL('../..', import.meta.url),
  })
  if (result.status !== 0) throw new Error(result.stderr)
  return result.stdout.trim()
}

const loadedApi = `
  import { createRequire } from 'node:module'
  const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('@opentelemetry/api'))
`

describe('@opentelemetry/api is an optional peer', { timeout: 60_000 }, () => {
  test('neither the core nor importing graceful-lifecycle/otel loads it; instrumenting does', async () => {
    const out = await node(`${loadedApi}
      const { Lifecycle } = await import('./src/index.ts')
      const lifecycle = new Lifecycle({ logger: false })
      lifecycle.onStop('a', () => {})
      await lifecycle.stop()
      const core = loaded()
      const { instrumentLifecycle } = await import('./src/otel/index.ts')
      const imported = loaded()
      instrumentLifecycle(new Lifecycle({ logger: false }))
      console.log(JSON.stringify({ core, imported, instrumented: loaded() }))
    `)
    expect(JSON.parse(out)).toEqual({ core: false, imported: false, instrumented: true })
  })

  test('when it is missing, instrumenting says what to install, with a code', () => {
    expect(() => loadApi('@opentelemetry/not-installed-here')).toThrow(
      /graceful-lifecycle\/otel needs @opentelemetry\/not-installed-here, an optional peer dependency that is not installed: npm install/,
    )
    expect(() => loadApi('@opentelemetry/not-installed-here')).toThrow(
      expect.objectContaining({
        code: ErrorCode.MISSING_PEER,
        peer: '@opentelemetry/not-installed-here',
      }) as Error,
    )
    expect(() => loadApi('@opentelemetry/not-installed-here')).toThrow(MissingPeerError)
  })
})
