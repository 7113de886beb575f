/**
 * How each variant stops the server on SIGTERM, written the way each library's README tells a
 * user to; every variant ends with `process.exit()` once its shutdown has completed.
 */
import type { Server } from 'node:http'
import gracefulShutdown from 'http-graceful-shutdown'
import stoppable from 'stoppable'

export const PEERS = [
  'close',
  'close-all',
  'stoppable',
  'http-terminator',
  'terminus',
  'http-graceful-shutdown',
] as const
/** Ours with other options, run in S1 only: `idleGrace: 0`, and a drain delay before the drain. */
export const US_EXTRAS = ['us-grace0', 'us-delay'] as const
export const VARIANTS = ['exit', ...PEERS, 'us', ...US_EXTRAS] as const
/** The drain delay of the `us-delay` variant, ms (at least the default idle grace). */
export const DRAIN_DELAY_MS = 1_000
export type Variant = (typeof VARIANTS)[number]

/** Markdown label of each variant. */
export const LABELS: Record<Variant, string> = {
  exit: '`process.exit()` at the trigger (floor)',
  close: '`server.close()`',
  'close-all': '`close()` + `closeAllConnections()` at the deadline',
  stoppable: 'stoppable 1.1',
  'http-terminator': 'http-terminator 3.2',
  terminus: '@godaddy/terminus 4.12',
  'http-graceful-shutdown': 'http-graceful-shutdown 4.0',
  us: '**graceful-lifecycle** `httpServer()`',
  'us-grace0': '**graceful-lifecycle** `httpServer({ idleGrace: 0 })`',
  'us-delay': `**graceful-lifecycle** \`drainDelay(${DRAIN_DELAY_MS})\` + \`httpServer()\` (figures: minus the delay)`,
}

export function isVariant(name: unknown): name is Variant {
  return typeof name === 'string' && (VARIANTS as readonly string[]).includes(name)
}

/** What a variant may report about its own stop (ours: the hook's report details). */
export type Details = (details: Record<string, unknown>) => void

/** Attaches `variant` to `server` (before it listens) and arms its SIGTERM handling. */
export async function attach(variant: Variant, server: Server, budgetMs: number, report: Details) {
  const exit = () => process.exit(0)
  switch (variant) {
    case 'exit':
      process.once('SIGTERM', exit)
      return
    case 'close':
      process.once('SIGTERM', () => server.close(exit))
      return
    case 'close-all':
      process.once('SIGTERM', () => {
        server.close(exit)
        setTimeout(() => server.closeAllConnections(), budgetMs)
      })
      return
    case 'stoppable': {
      const stoppableServer = stoppable(server, budgetMs)
      process.once('SIGTERM', () => stoppableServer.stop(exit))
      return
    }
    // The larger libraries (and ours) are loaded only by their own variant's process.
    case 'http-terminator': {
      const { createHttpTerminator } = await import('http-terminator')
      const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: budgetMs })
      process.once('SIGTERM', () => void terminator.terminate().then(exit, exit))
      return
    }
    case 'terminus': {
      const { createTerminus } = await import('@godaddy/terminus')
      // useExit0: exit with process.exit(0) after the stop, instead of re-raising the signal.
      createTerminus(server, { signal: 'SIGTERM', timeout: budgetMs, useExit0: true })
      return
    }
    case 'http-graceful-shutdown': {
      gracefulShutdown(server, { signals: 'SIGTERM', timeout: budgetMs, forceExit: true })
      return
    }
    case 'us':
    case 'us-grace0':
    case 'us-delay': {
      const { attachUs } = await import('./us.js')
      attachUs(server, budgetMs, report, {
        idleGrace: variant === 'us-grace0' ? 0 : undefined,
        drainDelayMs: variant === 'us-delay' ? DRAIN_DELAY_MS : undefined,
      })
      return
    }
  }
}
