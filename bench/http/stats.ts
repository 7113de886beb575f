/** Medians and ranges over runs, formatted for the markdown tables. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

function round(value: number, digits: number): string {
  return Number.isInteger(value) && digits > 0 ? String(value) : value.toFixed(digits)
}

/** `median [min–max]`, or the single value when every run gave the same one. */
export function summary(values: readonly number[], digits = 1): string {
  if (values.length === 0) return '–'
  const min = Math.min(...values)
  const max = Math.max(...values)
  const mid = round(median(values), digits)
  return min === max ? mid : `${mid} [${round(min, digits)}–${round(max, digits)}]`
}

/** Sum of values. */
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

/** `x of n` counts how many runs met a condition. */
export function runsWhere<T>(runs: readonly T[], test: (run: T) => boolean): string {
  return `${runs.filter(test).length}/${runs.length}`
}

export function log(message: string): void {
  process.stderr.write(`bench http: ${message}\n`)
}
