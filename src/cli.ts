#!/usr/bin/env node
import { run } from './cli/program.js';
import { nodeFileSystem } from './io/file-system.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// A reader that stops early (`compose-harden check | head`) closes the pipe: stop writing, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

try {
  process.exitCode = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: { write: (text) => void process.stdout.write(text), isTTY: Boolean(process.stdout.isTTY) },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: Boolean(process.stderr.isTTY) },
    readStdin,
    fs: nodeFileSystem,
  });
} catch (error) {
  // A bug, not a user error: say so plainly, without a stack trace unless asked for.
  const detail = process.env.COMPOSE_HARDEN_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  process.stderr.write(`compose-harden: internal error: ${error instanceof Error ? error.message : String(error)} (please report it; set COMPOSE_HARDEN_DEBUG=1 for details)${detail}\n`);
  process.exitCode = 2;
}
