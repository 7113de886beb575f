type Line = { level: string; args: unknown[] }

/** A logger that records what it was given; `logged(level)` resolves at the first line of that level. */
export function captureLogger(): {
  logger: Console
  lines: Line[]
  logged: (level: string) => Promise<Line>
} {
  const lines: Line[] = []
  const waiting: { level: string; resolve: (line: Line) => void }[] = []
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      const line = { level, args }
      lines.push(line)
      for (const waiter of waiting.filter((w) => w.level === level)) {
        waiting.splice(waiting.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  const logged = (level: string): Promise<Line> => {
    const found = lines.find((line) => line.level === level)
    return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ level, resolve }))
  }
  const logger = { info: record('info'), warn: record('warn'), error: record('error') } as unknown as Console
  return { logger, lines, logged }
}
