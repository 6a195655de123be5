// Each stack runs as written (up, healthy, a request through its edge), then after
// `compose-harden fix` on a copy, with every hardening assertion as its own test.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  checkCapabilities, checkEdgeRequest, checkEnvFileSecret, checkForkLoop, checkInternalEgress, checkMemoryLimit, checkNoNewPrivs,
  checkPidsLimit, checkPostgresLogin, checkReadOnlyRoot, checkRunning, checkSeccompMode, checkSeccompProfile, checkSecretNotInEnvironment,
  checkSecretReadable, checkUnshareDenied, createEgressTarget, waitForStack, type EgressTarget,
} from './lib/checks.js';
import { log } from './lib/sh.js';
import { REPO_ROOT, Stack, readSpec, serviceNames } from './lib/stack.js';

const STACKS = ['edge-app', 'env-secrets', 'monitoring', 'single', 'pg-root', 'pg-user'];
const engineDir = inject('engineDir');
let egress: EgressTarget | undefined;

beforeAll(async () => {
  egress = await createEgressTarget(engineDir);
});

async function start(stack: Stack, services: string[]): Promise<void> {
  const started = Date.now();
  await stack.up();
  await waitForStack(stack, services);
  log(`${stack.project}: up in ${Math.round((Date.now() - started) / 1000)} s`);
}

for (const name of STACKS) {
  const spec = readSpec(name);
  const services = serviceNames(name);

  describe(`${name}, as written`, () => {
    // made in beforeAll, so a describe left out by a filter leaves no copy behind
    let stack!: Stack;
    beforeAll(() => {
      stack = new Stack(name, 'written', engineDir);
      return start(stack, services);
    });
    afterAll(() => stack?.down());

    for (const service of services) {
      it(`${service} reaches running/healthy`, () => checkRunning(stack, service));
    }
    const edge = spec.edge;
    if (edge) {
      it(`a request through ${edge.service} succeeds end to end`, async () => {
        await checkEdgeRequest(stack, edge, spec.expect ?? []);
      });
    }
    for (const login of spec.logins ?? []) {
      it(`${login.service} accepts ${login.user}'s password over TCP (${login.startsAs} start, server as ${login.runsAs})`, () => checkPostgresLogin(stack, login));
    }
  });

  describe(`${name}, after compose-harden fix`, () => {
    let stack!: Stack;
    beforeAll(async () => {
      stack = new Stack(name, 'hardened', engineDir);
      const diff = await stack.fix(spec.fixArgs);
      log(`${name}: compose-harden fix changed ${diff.split('\n').filter((l) => /^\+[^+]/.test(l)).length} lines`);
      await start(stack, services);
    });
    afterAll(() => stack?.down());

    for (const service of services) {
      it(`${service} reaches running/healthy`, () => checkRunning(stack, service));
    }
    const edge = spec.edge;
    if (edge) {
      it(`a request through ${edge.service} succeeds end to end`, async () => {
        await checkEdgeRequest(stack, edge, spec.expect ?? []);
      });
    }
    for (const login of spec.logins ?? []) {
      it(`${login.service} accepts ${login.user}'s password, now read from the secret, over TCP (${login.startsAs} start, server as ${login.runsAs})`, () => checkPostgresLogin(stack, login));
    }

    for (const service of services) {
      describe(service, () => {
        it('writing to / fails with EROFS', () => checkReadOnlyRoot(stack, service));
        it('CapEff and CapBnd of PID 1 equal the expected set', () => checkCapabilities(stack, service));
        it('NoNewPrivs is 1', () => checkNoNewPrivs(stack, service));
        it('Seccomp is 2', () => checkSeccompMode(stack, service));
        it('runs under the seccomp profile fix generated', () => checkSeccompProfile(stack, service));
        it('unshare is denied', () => checkUnshareDenied(stack, service));
        it('the memory limit is in its cgroup', () => checkMemoryLimit(stack, service));
        it('the pids limit is in its cgroup', () => checkPidsLimit(stack, service));
        it('a fork loop is stopped by the pids limit', () => checkForkLoop(stack, service));
        if (spec.internal.includes(service)) {
          it('cannot open a connection outside its networks', () => checkInternalEgress(stack, service, edge!, egress!));
        }
      });
    }

    spec.secrets.forEach((secret, i) => {
      if (secret.via === 'env_file') {
        // no _FILE variant: the application still reads the variable, now from the git-ignored env file
        for (const service of secret.services) {
          it(`secret #${i + 1} (${secret.variable}, no _FILE variant) left the compose file for secrets/${service}.env, and check reports it`, () =>
            checkEnvFileSecret(stack, service, secret.variable!, secret.value));
        }
        for (const service of services.filter((x) => !secret.services.includes(x))) {
          it(`secret #${i + 1} is absent from docker inspect's environment of ${service}`, () => checkSecretNotInEnvironment(stack, service, secret.value));
        }
        return;
      }
      for (const service of secret.services) {
        it(`secret #${i + 1} is readable at /run/secrets/<name> in ${service}`, async () => {
          const file = await checkSecretReadable(stack, service, secret.value);
          expect(file).toMatch(/^\/run\/secrets\/[^/]+$/);
        });
      }
      for (const service of services) {
        it(`secret #${i + 1} is absent from docker inspect's environment of ${service}`, () => checkSecretNotInEnvironment(stack, service, secret.value));
      }
    });

    for (const service of spec.locallyBuilt) {
      it(`${service} (built locally, no knowledge entry) gets the unknown-image defaults`, () => {
        const r = spawnSync('node', [join(REPO_ROOT, 'dist', 'cli.js'), 'inspect', '--format', 'json', join(REPO_ROOT, 'test', 'e2e', 'stacks', name, 'compose.yaml')], { encoding: 'utf8' });
        const report = JSON.parse(r.stdout) as { files: Array<{ services: Array<{ name: string; image: { built: boolean; entry: string | null }; changes: Array<{ ruleId: string; key: string; value: unknown }> }> }> };
        const s = report.files[0]?.services.find((x) => x.name === service);
        expect(s, `inspect lists no service ${service}`).toBeDefined();
        log(`${name}/${service} (locally built): ${s!.changes.map((c) => `${c.key}=${JSON.stringify(c.value)}`).join('; ')}`);
        expect(s!.image.built, `${service} should be recognised as built locally`).toBe(true);
        expect(s!.image.entry, `${service} should match no knowledge entry`).toBeNull();
        expect(s!.changes.map((c) => c.key)).toEqual(expect.arrayContaining(['read_only', 'cap_drop', 'cap_add', 'tmpfs']));
      });
    }
  });
}
