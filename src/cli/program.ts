import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/config.js';
import { InputError, UsageError } from '../core/errors.js';
import type { Rule, RunOptions } from '../rules/types.js';
import type { CheckOptions } from './commands/check.js';
import type { FixOptions } from './commands/fix.js';
import type { CatalogueFormat } from './commands/rules.js';
import { formatInputError, resolveInputs, type Input } from './inputs.js';
import { withSecretsHidden, type CliIO } from './io.js';
import { selectRules, type SelectionOptions } from './rule-selection.js';
import type { InputSettings } from './settings.js';

/** Options every command that runs the rules takes. */
type CommonOptions = SelectionOptions & { limits?: RunOptions['limits']; config?: string };

function runOptions(options: CommonOptions): RunOptions {
  return { limits: options.limits ?? 'small' };
}


const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; homepage?: string };
const VERSION = PACKAGE.version;
/** Where users read about the tool (SARIF's informationUri): the homepage, else the package's registry page. */
const INFORMATION_URI = PACKAGE.homepage ?? 'https://www.npmjs.com/package/compose-harden';

/** Exit codes: 0 clean, 1 findings or changes, 2 usage or input errors. */
export const EXIT_USAGE = 2;

/** Builds a fresh program; `exitCode()` tells what the last action decided. Nothing here calls process.exit. */
export function createProgram(io: CliIO): { program: Command; exitCode(): number } {
  let code = 0;
  const set = (value: number) => {
    code = value;
  };
  const program = new Command('compose-harden')
    .description('Harden docker-compose files: read_only, cap_drop ALL, no-new-privileges and more, shown as a diff.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError()
    .allowExcessArguments(false);

  const selection = (command: Command) =>
    command
      .option('--only <rules>', 'run only these rules (comma-separated ids)')
      .option('--skip <rules>', 'do not run these rules (comma-separated ids)')
      .addOption(
        new Option('--limits <profile>', 'size of the resource limits written: the image knowledge\'s small-deployment values, x2 or x4')
          .choices(['small', 'medium', 'large'])
          .default('small'),
      )
      .option('--config <file>', 'use this config file instead of the .compose-harden.yml found upwards from each compose file');
  const color = (command: Command) => command.option('--color', 'colour the output').option('--no-color', 'never colour the output');

  const withInputs = async (files: string[], action: (inputs: Input[]) => Promise<number>) => {
    const inputs = await resolveInputs(files, io);
    if (inputs instanceof InputError) {
      io.stderr.write(`compose-harden: ${inputs.message}\n`);
      return EXIT_USAGE;
    }
    return action(inputs);
  };

  /**
   * Each input's settings: its config file (or --config), with the flags winning. A config that cannot
   * be used stops the command before anything is read or written.
   */
  const withSettings = async (
    files: string[],
    options: CommonOptions,
    command: Command,
    action: (inputs: Input[], settings: Map<Input, InputSettings>, all: readonly Rule[]) => Promise<number>,
  ) => {
    // Rules and commands load when a command runs, so `--help` and `--version` stay fast.
    const [{ allRules }, { settingsFor }] = await Promise.all([import('../rules/index.js'), import('./settings.js')]);
    selectRules(allRules, options);
    return withInputs(files, async (inputs) => {
      const explicitLimits = command.getOptionValueSource('limits') === 'cli';
      let settings: Map<Input, InputSettings>;
      try {
        settings = await settingsFor(inputs, allRules, { ...options, limits: explicitLimits ? options.limits : undefined }, io);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        io.stderr.write(`${error.format()}\n`);
        return EXIT_USAGE;
      }
      return action(inputs, settings, allRules);
    });
  };

  color(
    selection(
      program
        .command('check')
        .description('report findings (rule, severity, service, line, CIS id)')
        .argument('[files...]', 'compose files (default: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml); - reads stdin'),
    )
      .addOption(new Option('--format <format>', 'output format: text, json, sarif (SARIF 2.1.0) or github (workflow annotations)').choices(['text', 'json', 'sarif', 'github']).default('text'))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding that is not suppressed is at or above this severity').choices(['error', 'warning', 'info', 'never']).default('warning')),
  ).action(async (files: string[], options: CommonOptions & CheckOptions, command: Command) => {
    const { runCheck } = await import('./commands/check.js');
    set(
      await withSettings(files, options, command, (inputs, settings, all) =>
        runCheck(
          inputs,
          selectRules(all, options),
          { ...options, run: runOptions(options), settings, catalogue: all.map((rule) => rule.meta), tool: { version: VERSION, informationUri: INFORMATION_URI } },
          withSecretsHidden(io),
        ),
      ),
    );
  });

  color(
    selection(
      program
        .command('diff')
        .description('print the unified diff that `fix` would apply')
        .argument('[files...]', 'compose files (default: the compose file of the current directory); - reads stdin'),
    ),
  ).action(async (files: string[], options: CommonOptions & { color?: boolean }, command: Command) => {
    const { runDiff } = await import('./commands/diff.js');
    set(
      await withSettings(files, options, command, (inputs, settings, all) =>
        runDiff(inputs, selectRules(all, options), { ...options, run: runOptions(options), settings }, withSecretsHidden(io)),
      ),
    );
  });

  selection(
    program
      .command('fix')
      .description('write the hardened files in place (atomically), or to --output')
      .argument('[files...]', 'compose files (default: the compose file of the current directory)')
      .option('-o, --output <file>', 'write the result to this file instead (one input only)'),
  ).action(async (files: string[], options: CommonOptions & FixOptions, command: Command) => {
    const { runFix } = await import('./commands/fix.js');
    set(
      await withSettings(files, options, command, (inputs, settings, all) =>
        runFix(inputs, selectRules(all, options), { ...options, run: runOptions(options), settings }, withSecretsHidden(io)),
      ),
    );
  });

  color(
    selection(
      program
        .command('inspect')
        .description('show, per service, the image knowledge matched and each planned change with its reason and source')
        .argument('[files...]', 'compose files (default: the compose file of the current directory); - reads stdin'),
    ).addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')),
  ).action(async (files: string[], options: CommonOptions & { format: 'text' | 'json'; color?: boolean }, command: Command) => {
    const { runInspect } = await import('./commands/inspect.js');
    set(
      await withSettings(files, options, command, (inputs, settings, all) =>
        runInspect(inputs, selectRules(all, options), { ...options, run: runOptions(options), settings }, withSecretsHidden(io)),
      ),
    );
  });

  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (options: { format: CatalogueFormat }) => {
      const [{ allRules }, { runRules }] = await Promise.all([import('../rules/index.js'), import('./commands/rules.js')]);
      set(runRules(allRules, options.format, io));
    });

  color(
    program
      .command('explain')
      .description('explain a rule: why, what it detects, the fix and its safety, examples, CIS and other tools\' ids, references')
      .argument('<rule>', 'rule id (see `compose-harden rules`)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown']).default('text')),
  ).action(async (id: string, options: import('./commands/explain.js').ExplainOptions) => {
    const [{ allRules }, { runExplain }] = await Promise.all([import('../rules/index.js'), import('./commands/explain.js')]);
    set(runExplain(allRules, id, options, io));
  });

  program
    .command('seccomp')
    .description('write a seccomp profile: per runtime family, for a compose service, or from an strace -f -o recording')
    .argument('[file]', 'compose file for --service (default: the compose file of the current directory); - reads stdin')
    .option('--runtime <family>', 'the template of a runtime family (node, python, jvm, go, nginx, postgres, redis, mysql, php, ruby, dotnet, rust, generic)')
    .option('--service <name>', "the template of a service's image, with its cap_add")
    .option('--from-strace <file>', 'the calls of a recorded trace, plus the container runtime baseline')
    .option('--list', 'list the families with the number of calls each allows, beside Docker\'s default')
    .addOption(new Option('--format <format>', 'docker: for security_opt seccomp=FILE (capabilities resolved by the engine); oci: flattened for --caps, for runc, crun or Kubernetes').choices(['docker', 'oci']).default('docker'))
    .option('--caps <caps>', 'capabilities the container holds, comma-separated, for --format oci (default: the service\'s cap_add, or none)')
    .addOption(new Option('--arch <arch>', 'architecture of the OCI profile').choices(['x86_64', 'aarch64']).default('x86_64'))
    .option('-o, --output <file>', 'write the profile to this file (atomically) instead of standard output')
    .action(async (file: string | undefined, options: import('./commands/seccomp.js').SeccompOptions) => {
      const { runSeccomp } = await import('./commands/seccomp.js');
      set(await runSeccomp(file, options, io));
    });

  program
    .command('verify')
    .description('start the project on the local Docker engine under a temporary name, report each service (healthy, running, restarting, exited) with its last log lines, then tear it down')
    .argument('[files...]', 'compose files, merged in order (default: the compose file of the current directory)')
    .option('--keep', 'leave the project running afterwards')
    .option('--timeout <seconds>', 'how long to wait for the services to become healthy once started', '120')
    .option('--log-lines <n>', 'log lines shown per service', '5')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (files: string[], options: import('./commands/verify.js').VerifyCliOptions) => {
      const { runVerify } = await import('./commands/verify.js');
      set(await withInputs(files, (inputs) => runVerify(inputs, options, withSecretsHidden(io))));
    });

  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
  return { program, exitCode: () => code };
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { program, exitCode } = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // `--help` and `--version` succeed; help shown because no command was given is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`compose-harden: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof InputError) {
      io.stderr.write(`${formatInputError('compose-harden', error)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
