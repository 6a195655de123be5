import { resolve } from 'node:path';
import { parseComposeFile } from '../../core/compose-file.js';
import { InputError } from '../../core/errors.js';
import { RUNTIME_FAMILIES } from '../../knowledge/image-entry.js';
import { WriteError } from '../../io/file-system.js';
import {
  allowedCount,
  dockerDefaultAllowed,
  familyFor,
  familyProfile,
  flattenProfile,
  isArch,
  isRuntimeFamily,
  listFamilies,
  normalizeCapability,
  profileFromTrace,
  SeccompInputError,
  serializeProfile,
  serviceCapabilities,
  type Arch,
  type DockerProfile,
} from '../../seccomp/index.js';
import { formatInputError, loadInput, resolveInputs } from '../inputs.js';
import type { CliIO } from '../io.js';

export interface SeccompOptions {
  runtime?: string;
  service?: string;
  fromStrace?: string;
  list?: boolean;
  format: 'docker' | 'oci';
  caps?: string;
  arch: string;
  output?: string;
}

const USAGE = 2;

/** `seccomp`: a profile per runtime family, for one compose service, or from a recorded strace; or the list of families. */
export async function runSeccomp(file: string | undefined, options: SeccompOptions, io: CliIO): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`compose-harden seccomp: ${message}\n`);
    return USAGE;
  };
  const modes = [options.runtime !== undefined, options.service !== undefined, options.fromStrace !== undefined, options.list === true].filter(Boolean).length;
  if (modes !== 1) return fail('give exactly one of --runtime FAMILY, --service NAME, --from-strace FILE or --list');
  if (file !== undefined && options.service === undefined) return fail('a compose file argument goes with --service NAME only');
  if (!isArch(options.arch)) return fail(`unknown architecture "${options.arch}": use x86_64 or aarch64`);
  const arch: Arch = options.arch;

  if (options.list) {
    const rows = [...listFamilies().map(({ family, allowed }) => [family, allowed] as const), ['docker-default', dockerDefaultAllowed()] as const];
    const width = Math.max(...rows.map(([name]) => name.length));
    io.stdout.write(`${'family'.padEnd(width)}  allowed on x86_64\n`);
    for (const [name, allowed] of rows) io.stdout.write(`${name.padEnd(width)}  ${allowed}\n`);
    return 0;
  }

  let profile: DockerProfile;
  let caps = options.caps === undefined ? [] : splitCaps(options.caps);
  if (options.runtime !== undefined) {
    if (!isRuntimeFamily(options.runtime)) return fail(`unknown runtime family "${options.runtime}": use one of ${RUNTIME_FAMILIES.join(', ')}`);
    profile = familyProfile(options.runtime);
  } else if (options.service !== undefined) {
    const inputs = await resolveInputs(file === undefined ? [] : [file], io);
    if (inputs instanceof InputError) return fail(inputs.message);
    const loaded = await loadInput(inputs[0]!, io);
    let services;
    try {
      if (loaded.error) throw loaded.error;
      services = parseComposeFile(loaded.source).services;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${formatInputError(loaded.display, error)}\n`);
      return USAGE;
    }
    const service = services.find((s) => s.name === options.service);
    if (!service) {
      const known = services.map((s) => s.name);
      return fail(`no service "${options.service}" in ${loaded.display}${known.length > 0 ? `: services are ${known.join(', ')}` : ''}`);
    }
    const family = familyFor(service);
    if (options.caps === undefined) caps = serviceCapabilities(service);
    profile = familyProfile(family);
    io.stderr.write(`service ${service.name}: ${family} template${caps.length > 0 ? `, cap_add ${caps.join(', ')}` : ''}\n`);
  } else {
    const path = resolve(io.cwd, options.fromStrace!);
    let text: string;
    try {
      text = Buffer.from(await io.fs.readFile(path)).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return fail(`cannot read the trace ${options.fromStrace}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
    }
    try {
      const traced = profileFromTrace(text, options.fromStrace!);
      for (const note of traced.notes) io.stderr.write(`compose-harden seccomp: ${note}\n`);
      profile = traced.profile;
    } catch (error) {
      if (error instanceof SeccompInputError) return fail(error.message);
      throw error;
    }
  }

  const json = options.format === 'oci' ? serializeProfile(flattenProfile(profile, caps, arch)) : serializeProfile(profile);
  if (options.output === undefined) {
    io.stdout.write(json);
    return 0;
  }
  try {
    await io.fs.writeFileAtomic(resolve(io.cwd, options.output), json);
  } catch (error) {
    if (error instanceof WriteError) return fail(`${options.output}: ${error.message}`);
    throw error;
  }
  io.stderr.write(`wrote ${options.output} (${allowedCount(profile, caps, arch)} system calls allowed on ${arch})\n`);
  return 0;
}

function splitCaps(value: string): string[] {
  return [...new Set(value.split(',').map((cap) => cap.trim()).filter((cap) => cap !== '').map(normalizeCapability))].sort();
}
