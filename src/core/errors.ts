/** A problem with one input file: where it is and what the user should do about it. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A problem with how the tool was called (unknown rule, bad flag combination). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
