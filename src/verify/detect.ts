// Which Compose implementation to drive: Compose v2 as a docker plugin (`docker compose`) first, then a
// standalone `docker-compose` (v1, or a v2 binary installed under that name). Both need an engine that
// answers, which `docker info` tells.
import { lastLine, type ProcessRunner } from './runner.js';

export interface ComposeCommand {
  /** `docker compose` or `docker-compose`, as shown in messages. */
  readonly name: string;
  readonly cmd: string;
  /** Arguments before Compose's own (`compose` for the plugin). */
  readonly base: readonly string[];
  readonly version: string;
  /** 1 for docker-compose v1 (Python), 2 otherwise. */
  readonly major: number;
}

export type Detection = { readonly compose: ComposeCommand; readonly engine: string } | { readonly error: string };

function versionOf(text: string): string | null {
  return /v?(\d+\.\d+(?:\.\d+)?[^\s,]*)/.exec(text)?.[1] ?? null;
}

export async function detectCompose(run: ProcessRunner): Promise<Detection> {
  let compose: ComposeCommand | null = null;
  const plugin = await run({ cmd: 'docker', args: ['compose', 'version', '--short'], timeoutMs: 20_000 });
  const pluginVersion = plugin.code === 0 ? versionOf(plugin.stdout) : null;
  if (pluginVersion) {
    compose = { name: 'docker compose', cmd: 'docker', base: ['compose'], version: pluginVersion, major: Number(pluginVersion.split('.')[0]) || 2 };
  } else {
    const standalone = await run({ cmd: 'docker-compose', args: ['version', '--short'], timeoutMs: 20_000 });
    const version = standalone.code === 0 ? versionOf(standalone.stdout) : null;
    if (version) compose = { name: 'docker-compose', cmd: 'docker-compose', base: [], version, major: Number(version.split('.')[0]) || 1 };
  }
  if (!compose) {
    return { error: 'no Docker Compose found: install Compose v2 (`docker compose`) or docker-compose' };
  }
  const info = await run({ cmd: 'docker', args: ['info', '--format', '{{.ServerVersion}}'], timeoutMs: 30_000 });
  if (info.code === 127) return { error: 'no docker command found: verify needs the docker CLI beside Compose' };
  if (info.code !== 0 || !info.stdout.trim()) return { error: `the Docker engine does not answer (docker info: ${lastLine(info)})` };
  return { compose, engine: info.stdout.trim() };
}
