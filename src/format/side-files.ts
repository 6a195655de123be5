import type { SideFile } from '../core/side-files.js';

const KIND: Record<SideFile['kind'], string> = {
  secret: 'secret value',
  env: 'env file of moved variables',
  generated: 'generated file',
  ignore: 'git-ignore lines',
};

/**
 * The comment lines printed before a file's diff: the side files `fix` writes with it (never their content),
 * and a warning when values were masked, because a masked diff no longer applies.
 */
export function diffPreamble(files: readonly SideFile[], masked: number): string {
  const lines: string[] = [];
  if (files.length > 0) {
    lines.push('# compose-harden fix also writes, beside the compose file:');
    for (const file of files) lines.push(`#   ${file.path} (${KIND[file.kind]}${file.kind === 'ignore' ? `: ${file.content.trim().split('\n').join(', ')}` : `, mode ${octal(file.mode)}`})`);
  }
  if (masked > 0) {
    lines.push(
      `# ${masked} secret value${masked === 1 ? ' is' : 's are'} masked as ****: this diff cannot be applied with \`git apply\`; run \`compose-harden fix\` instead`,
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
