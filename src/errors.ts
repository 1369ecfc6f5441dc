/** Exit codes, documented in docs/exit-codes.md. One table, used by every command. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  partial: 3,
  auth: 4,
  notFound: 5,
  invalidInput: 6,
  unavailable: 7,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base of every error ljit expects; anything else is a bug and exits 1 with its stack under --verbose. */
export class LjitError extends Error {
  readonly exitCode: ExitCodeValue;
  /** A line telling the user what to do next, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

export class UsageError extends LjitError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

export class AuthError extends LjitError {
  constructor(message: string, hint = 'Run "ljit auth login" to save a key, or set LJIT_API_KEY.') {
    super(message, ExitCode.auth, hint);
  }
}

export class NotFoundError extends LjitError {
  constructor(message: string) {
    super(message, ExitCode.notFound);
  }
}

export class InvalidInputError extends LjitError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.invalidInput, hint);
  }
}

/** Network failures and 5xx that outlasted the retries. */
export class UnavailableError extends LjitError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.unavailable, hint);
  }
}

/** Some items failed and the rest succeeded; the command has already reported which. */
export class PartialFailureError extends LjitError {
  constructor(message: string) {
    super(message, ExitCode.partial);
  }
}

export class InterruptedError extends LjitError {
  constructor(message = 'interrupted', hint?: string) {
    super(message, ExitCode.interrupted, hint);
  }
}

/** An HTTP answer the client cannot use (unexpected 4xx, wrong shape). */
export class ApiError extends LjitError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, exitCode: ExitCodeValue = ExitCode.unexpected) {
    super(message, exitCode);
    this.status = status;
  }
}
