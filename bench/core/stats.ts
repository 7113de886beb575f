export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export const range = (values: number[]): string =>
  `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`

export const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

/** Empties the young generation, so neither variant pays for garbage the other (or set-up) left. */
export const minorGc = (): void =>
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' })
