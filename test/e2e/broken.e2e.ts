// The test of the test: a deliberately wrong hardening must make the suite's checks fail, with a
// message that names the service and the cause. The control (mutants/nginx, hardened by hand) passes
// the same checks; each case injects exactly one mistake into it, so nothing else can be the cause.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { checkCapabilities, checkEdgeRequest, checkRunning, waitForStack } from './lib/checks.js';
import { nginxMutant, type Breakage } from './lib/mutants.js';
import type { Stack } from './lib/stack.js';

const engineDir = inject('engineDir');
const EDGE = { service: 'proxy', port: 80, path: '/' };
const EXPECT = ['served by the hand-hardened control'];
let current: Stack | undefined;

afterEach(async () => {
  await current?.down();
  current = undefined;
});

async function started(breakage: Breakage): Promise<Stack> {
  const stack = nginxMutant(engineDir, breakage);
  current = stack;
  await stack.up();
  await waitForStack(stack, ['proxy'], 60_000);
  return stack;
}

describe('a wrong hardening makes the suite fail, naming the service and the cause', () => {
  it('control: the hand-hardened nginx passes the checks the broken runs fail', async () => {
    const stack = await started('control');
    await checkRunning(stack, 'proxy');
    await checkEdgeRequest(stack, EDGE, EXPECT);
    await checkCapabilities(stack, 'proxy');
  });

  it('nginx started as root without SETUID/SETGID: the edge request fails, naming proxy and the refused setgid', async () => {
    const stack = await started('no-setuid-setgid');
    const failure = checkEdgeRequest(stack, EDGE, EXPECT);
    await expect(failure).rejects.toThrow(/^service "proxy": GET \/ did not return/);
    await expect(failure).rejects.toThrow(/set[gu]id\(\d+\) failed \(1: Operation not permitted\)/);
  });

  it('nginx without its /var/cache/nginx tmpfs: proxy exits, naming proxy and EROFS', async () => {
    const stack = await started('no-cache-tmpfs');
    const failure = checkRunning(stack, 'proxy');
    await expect(failure).rejects.toThrow(/^service "proxy": is exited \(exit code 1\)/);
    await expect(failure).rejects.toThrow(/mkdir\(\) "\/var\/cache\/nginx\/\w+" failed \(30: Read-only file system\)/);
  });
});
