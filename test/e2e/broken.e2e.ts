// The test of the test: a deliberately wrong hardening must make the suite's checks fail, with a
// message that names the service and the cause. Each case takes fix's output for the edge-app stack,
// breaks one thing a service needs, runs it, and expects the same check functions the suite uses to
// throw.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { checkEdgeRequest, checkRunning, waitForStack } from './lib/checks.js';
import { Stack, readSpec, serviceNames } from './lib/stack.js';

const engineDir = inject('engineDir');
const spec = readSpec('edge-app');
const services = serviceNames('edge-app');
let current: Stack | undefined;

afterEach(async () => {
  await current?.down();
  current = undefined;
});

/** fix, then one deliberate mistake in the fixed file's proxy service, then up. */
async function brokenProxy(variant: string, breakIt: (proxy: YAMLMap) => void): Promise<Stack> {
  const stack = new Stack('edge-app', variant, engineDir);
  current = stack;
  await stack.fix();
  const file = join(stack.dir, 'compose.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const proxy = doc.getIn(['services', 'proxy']);
  if (!isMap(proxy)) throw new Error('fixed file has no proxy mapping');
  breakIt(proxy);
  writeFileSync(file, doc.toString());
  await stack.up();
  await waitForStack(stack, services, 60_000);
  return stack;
}

describe('a wrong hardening makes the suite fail, naming the service and the cause', () => {
  it('nginx started as root without SETUID/SETGID: the edge request fails, naming proxy and the refused setgid', async () => {
    const stack = await brokenProxy('nocaps', (proxy) => {
      proxy.delete('user'); // the official default: a root master that switches its workers to nginx
      proxy.set('cap_add', ['CHOWN']); // SETUID and SETGID, which that switch needs, left out
    });
    const failure = checkEdgeRequest(stack, spec.edge, spec.expect);
    await expect(failure).rejects.toThrow(/^service "proxy": /);
    await expect(failure).rejects.toThrow(/set[gu]id\(\d+\) failed \(1: Operation not permitted\)/);
  });

  it('nginx without its /var/cache/nginx tmpfs: proxy does not stay running, naming proxy and EROFS', async () => {
    const stack = await brokenProxy('notmpfs', (proxy) => {
      const tmpfs = proxy.get('tmpfs');
      if (!isSeq(tmpfs)) throw new Error('fixed proxy has no tmpfs list');
      const items = (tmpfs as YAMLSeq).items;
      const i = items.findIndex((x) => String((x as { value?: unknown }).value ?? x).startsWith('/var/cache/nginx'));
      if (i < 0) throw new Error('fix gave proxy no /var/cache/nginx tmpfs: nothing to remove');
      items.splice(i, 1);
    });
    const failure = checkRunning(stack, 'proxy');
    await expect(failure).rejects.toThrow(/^service "proxy": /);
    await expect(failure).rejects.toThrow(/\/var\/cache\/nginx\/\w+" failed \(30: Read-only file system\)/);
  });
});
