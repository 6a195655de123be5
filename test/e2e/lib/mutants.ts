// The hand-hardened nginx of mutants/nginx (the control) and the deliberate breakages the test of the
// test injects into it: each returns the stack, started, for the checks to judge.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { Stack } from './stack.js';

export const MUTANTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'mutants');

export type Breakage = 'control' | 'no-setuid-setgid' | 'no-cache-tmpfs';

const BREAK: Record<Breakage, (proxy: YAMLMap) => void> = {
  control: () => undefined,
  // the master's switch of its workers to the nginx user needs both
  'no-setuid-setgid': (proxy) => proxy.set('cap_add', ['CHOWN', 'NET_BIND_SERVICE']),
  // nginx creates its temp directories there at start
  'no-cache-tmpfs': (proxy) => {
    const tmpfs = proxy.get('tmpfs');
    if (!isSeq(tmpfs)) throw new Error('mutants/nginx: proxy has no tmpfs list');
    const i = tmpfs.items.findIndex((x) => String((x as { value?: unknown }).value ?? x) === '/var/cache/nginx');
    if (i < 0) throw new Error('mutants/nginx: proxy has no /var/cache/nginx tmpfs to remove');
    tmpfs.items.splice(i, 1);
  },
};

/** A copy of mutants/nginx with one breakage applied (not started). */
export function nginxMutant(engineDir: string, breakage: Breakage, prefix = 'mutant'): Stack {
  const stack = new Stack('nginx', `${prefix}-${breakage}`, engineDir, { source: MUTANTS_DIR });
  const file = join(stack.dir, 'compose.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const proxy = doc.getIn(['services', 'proxy']);
  if (!isMap(proxy)) throw new Error('mutants/nginx: no proxy service');
  BREAK[breakage](proxy);
  writeFileSync(file, doc.toString());
  return stack;
}
