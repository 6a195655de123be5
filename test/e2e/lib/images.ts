// The emulated official images (../images/README.md), built with BuildKit FROM the shared base.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, must } from './sh.js';

const IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'images');

/** Tag (the official name the stacks use) → directory under images/. */
export const IMAGES: Record<string, string> = {
  'python:3.11-slim-bookworm': 'python',
  'postgres:15-bookworm': 'postgres',
  'redis:7-bookworm': 'redis',
  'nginx:1.22': 'nginx',
  'prom/prometheus:v2.45.0': 'prometheus',
};

export async function buildImages(env: NodeJS.ProcessEnv, base: string): Promise<void> {
  for (const [tag, dir] of Object.entries(IMAGES)) {
    const started = Date.now();
    await must(
      'docker',
      ['build', '-q', '--network=none', '--build-arg', `BASE=${base}`, '-t', tag, '-f', join(IMAGES_DIR, dir, 'Dockerfile'), IMAGES_DIR],
      { env, timeoutMs: 300_000 },
    );
    log(`built ${tag} in ${Date.now() - started} ms`);
  }
}
