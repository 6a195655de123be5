/**
 * What compose-harden knows about one image: what it needs to run hardened, each fact with its source.
 * Entries live in `templates/images/<family>.json` as `{ "family": ..., "entries": [ImageEntry, ...] }`.
 */

export const RUNTIME_FAMILIES = ['node', 'python', 'jvm', 'go', 'nginx', 'postgres', 'redis', 'mysql', 'php', 'ruby', 'dotnet', 'rust', 'generic'] as const;
export type RuntimeFamily = (typeof RUNTIME_FAMILIES)[number];

/** A fact and where it comes from: a documentation URL, or the entrypoint/Dockerfile line that shows it. */
export interface Sourced {
  /** One short clause (at most 80 characters): it becomes the inline comment beside the value in the user's file. */
  readonly why: string;
  /** The longer explanation, when the short one needs it (shown by `inspect`). */
  readonly detail?: string;
  readonly source: string;
}

export interface CapabilityNeed extends Sourced {
  /** Capability name without the CAP_ prefix, upper case. */
  readonly name: string;
}

export interface TmpfsPath extends Sourced {
  readonly path: string;
  /** Owner the tmpfs needs when the process is not root (a tmpfs over an image directory is root-owned otherwise). */
  readonly uid?: number;
  readonly gid?: number;
  /** `process`: the path must belong to whatever user the process runs as (for defaults that know no uid). */
  readonly owner?: 'process';
  /** A size limit, in Docker's tmpfs syntax (`64m`), where the default (half the host's memory) is wrong. */
  readonly size?: string;
  /** The image runs programs from this path (s6-overlay runs its scripts from /run): Docker mounts tmpfs noexec otherwise. */
  readonly exec?: boolean;
}

export interface VolumePath extends Sourced {
  readonly path: string;
}

export interface ImageEntry {
  /** Unique id, lower case: `postgres`, `bitnami-postgresql`, `linuxserver`. */
  readonly id: string;
  readonly title: string;
  /**
   * Image keys this entry covers, as parseImageRef gives them: `postgres` (Docker Hub official),
   * `bitnami/postgresql`, `quay.io/prometheus/node-exporter`. A trailing `/*` covers a whole namespace.
   */
  readonly match: readonly string[];
  readonly runtime: RuntimeFamily;
  readonly user: {
    /** The user the container starts as (`root`, or `uid:gid`). */
    readonly default: string;
    /** What the main process ends up running as, in words (`postgres (999:999) via gosu`). */
    readonly process: string;
    /** The `uid:gid` to set with `user:` for a non-root run, or null when the image does not support it. */
    readonly nonRoot: string | null;
    readonly why: string;
    readonly source: string;
  };
  readonly capabilities: {
    /** Needed under `cap_drop: [ALL]` when the container starts as its default user. */
    readonly default: readonly CapabilityNeed[];
    /** Needed when it runs as `user.nonRoot` (usually none). */
    readonly nonRoot: readonly CapabilityNeed[];
  };
  /** Set when the image cannot run with a read-only root filesystem at all; `read-only-rootfs` then only reports. */
  readonly readOnly?: {
    readonly supported: false;
    /** An environment variable that, when the service sets it, makes a read-only root work after all. */
    readonly unlessEnv?: string;
    readonly why: string;
    readonly source: string;
  };
  readonly writable: {
    /** Paths written outside volumes: tmpfs under `read_only: true`. */
    readonly tmpfs: readonly TmpfsPath[];
    /** Paths that hold data and must be volumes. */
    readonly volumes: readonly VolumePath[];
  };
  readonly secrets: {
    /** Environment variables for which the image also reads `<NAME>_FILE`. */
    readonly fileVariants: readonly string[];
    /** The suffix the image reads (`_FILE` unless stated; Grafana reads `GF_..._PASSWORD__FILE`). */
    readonly fileSuffix?: string;
    readonly source: string;
  };
  readonly egress: { readonly needed: boolean; readonly why: string; readonly source?: string };
  readonly limits: { readonly memory: string; readonly cpus: string; readonly pids: number; readonly why: string };
  readonly healthcheck: { readonly test: readonly string[]; readonly source: string } | null;
  readonly init: { readonly own: boolean; readonly why: string };
  /** `engine` only when the real-engine suite proves the entry; otherwise `docs`. */
  readonly verified: 'docs' | 'engine';
  /**
   * Facts of this entry proven by the real-engine suite, keyed by the JSON pointer of the fact within the
   * entry (`/user/nonRoot`, `/writable/tmpfs/0`): the tests that prove it and what they ran.
   */
  readonly proven?: Readonly<Record<string, readonly ProvenBy[]>>;
  readonly sources: readonly string[];
  /** Tag-dependent differences (`-alpine` images use other uids, for example). */
  readonly variants?: readonly ImageVariant[];
}

/** A test of the real-engine suite that proves a fact, and what it ran (an emulation, not the image itself). */
export interface ProvenBy {
  /** The test file, relative to the repository (`test/e2e/stacks.e2e.ts`). */
  readonly test: string;
  /** The test's full name, as the suite reports it (`pg-user, after compose-harden fix > ...`). */
  readonly name: string;
  readonly ran: string;
}

export interface ImageVariant {
  /** A regular expression tested against the tag. */
  readonly tags: string;
  readonly note: string;
  readonly user?: ImageEntry['user'];
  readonly capabilities?: ImageEntry['capabilities'];
  readonly writable?: ImageEntry['writable'];
}

export interface ImageFamilyFile {
  readonly family: string;
  readonly entries: readonly ImageEntry[];
}
