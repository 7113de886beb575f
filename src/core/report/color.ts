/** @internal The few SGR codes the timeline uses; `plain` maps each to nothing. */
export interface Palette {
  readonly bold: (text: string) => string
  readonly dim: (text: string) => string
  readonly phase: (text: string) => string
  readonly ok: (text: string) => string
  readonly error: (text: string) => string
  readonly timeout: (text: string) => string
  readonly budget: (text: string) => string
}

const sgr =
  (open: string) =>
  (text: string): string =>
    text === '' ? '' : `\u001b[${open}m${text}\u001b[0m`

/** @internal */
export const colors: Palette = {
  bold: sgr('1'),
  dim: sgr('2'),
  phase: sgr('36'),
  ok: sgr('32'),
  error: sgr('1;31'),
  timeout: sgr('1;33'),
  budget: sgr('35'),
}

const same = (text: string): string => text

/** @internal */
export const plain: Palette = {
  bold: same,
  dim: same,
  phase: same,
  ok: same,
  error: same,
  timeout: same,
  budget: same,
}

/**
 * Whether to colour what goes to `stream`: `NO_COLOR` (any non-empty value) says no, `FORCE_COLOR`
 * says yes (`0` or `false`: no), otherwise a TTY that is not `TERM=dumb` gets colour.
 *
 * @example
 * ```ts
 * console.log(report.toTimeline({ color: shouldColor(process.stdout) }))
 * ```
 */
export function shouldColor(
  stream: { readonly isTTY?: boolean } | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  return stream?.isTTY === true && env.TERM !== 'dumb'
}
