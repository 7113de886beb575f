import type { Component } from './types.js'

/** What an integration does once `register()` has accepted its component; returns its undo. */
export type Attach = () => (() => void) | undefined

const attachments = new WeakMap<Component, Attach>()

/**
 * @internal For component factories: run `attach` (claim a server, add its listeners) only once
 * `register()` has accepted `component`, so a refused registration leaves nothing behind. The
 * function `attach` returns runs when the component is unregistered.
 */
export function whenRegistered<C extends Component>(component: C, attach: Attach): C {
  attachments.set(component, attach)
  return component
}

/** @internal Called by `register()` after every check has passed; returns the undo. */
export function attachRegistered(component: Component): (() => void) | undefined {
  const attach = attachments.get(component)
  if (attach === undefined) return undefined
  // One component object, one attachment: registering it on a second lifecycle claims nothing twice.
  attachments.delete(component)
  return attach()
}
