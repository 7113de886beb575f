/** See baselines.mjs. */
export function direct(groups: readonly (() => Promise<void>)[][]): Promise<number>
export function floor(groups: readonly (() => Promise<void>)[][]): Promise<number>
