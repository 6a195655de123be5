// Global setup of the real-engine suite: installs what is missing, starts the private dockerd,
// imports the cached base filesystem and builds the emulated images; the returned teardown (and the
// exit/signal hooks, and the engine's watchdog if this process is killed) stops the engine and removes
// exactly its iptables chains, whatever the tests did.
import type { TestProject } from 'vitest/node';
import { installMissing } from './lib/deps.js';
import { startEngine, stopEngine } from './lib/engine.js';
import { buildImages } from './lib/images.js';
import { importBase } from './lib/rootfs.js';
import { log } from './lib/sh.js';

declare module 'vitest' {
  export interface ProvidedContext {
    engineDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  await installMissing();
  const engine = await startEngine();
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    stopEngine(engine.dir);
  };
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      stop();
      process.exit(130);
    });
  }
  try {
    const base = await importBase(engine.env);
    await buildImages(engine.env, base);
  } catch (e) {
    stop();
    throw e;
  }
  log(`engine and images ready in ${Math.round((Date.now() - started) / 1000)} s`);
  project.provide('engineDir', engine.dir);
  return stop;
}
