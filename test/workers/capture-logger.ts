/** A logger that records what it was given, for asserting on log lines. */
export function captureLogger(): { logger: Console; lines: { level: string; args: unknown[] }[] } {
  const lines: { level: string; args: unknown[] }[] = []
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push({ level, args })
    }
  const logger = { info: record('info'), warn: record('warn'), error: record('error') } as unknown as Console
  return { logger, lines }
}
