import { reachable, SERVICES } from './services.js'

/**
 * The service suite fails, never skips, when a service is down: the message names each one and
 * the command that starts it (`.ci/start-services` runs them all).
 */
export default async function setup(): Promise<void> {
  const down = []
  for (const service of SERVICES) {
    if (!(await reachable(service.port))) down.push(service)
  }
  if (down.length > 0) {
    const lines = down.map(
      (service) =>
        `- ${service.name} is not reachable on 127.0.0.1:${service.port}; start it with:\n    ${service.start}`,
    )
    throw new Error(
      `The service tests need every service running.\n${lines.join('\n')}\n(or run .ci/start-services to start all of them)`,
    )
  }
}
