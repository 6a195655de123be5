import { readFileSync, readdirSync } from 'node:fs';
import type { ImageEntry, ImageFamilyFile } from './image-entry.js';
import type { ImageRef } from './image-ref.js';

const IMAGES = new URL('../../templates/images/', import.meta.url);

/** An entry matched to an image, with its tag variant applied. */
export interface MatchedImage {
  readonly entry: ImageEntry;
  /** `templates/images/<family>.json`, for explanations. */
  readonly file: string;
  /** The match pattern that selected the entry (`postgres`, `linuxserver/*`). */
  readonly pattern: string;
  /** The variant note when a tag variant applied. */
  readonly variant: string | null;
  readonly user: ImageEntry['user'];
  readonly capabilities: ImageEntry['capabilities'];
  readonly writable: ImageEntry['writable'];
}

interface Index {
  readonly exact: Map<string, { entry: ImageEntry; file: string; pattern: string }>;
  /** `ns/*` patterns, longest prefix first. */
  readonly prefixes: Array<{ prefix: string; entry: ImageEntry; file: string; pattern: string }>;
  readonly entries: Array<{ entry: ImageEntry; file: string }>;
}

let index: Index | undefined;

/** Reads every `templates/images/*.json` once, on first use. */
export function imageIndex(): Index {
  if (index) return index;
  const exact = new Map<string, { entry: ImageEntry; file: string; pattern: string }>();
  const prefixes: Index['prefixes'] = [];
  const entries: Index['entries'] = [];
  for (const name of readdirSync(IMAGES).filter((n) => n.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(new URL(name, IMAGES), 'utf8')) as ImageFamilyFile;
    const file = `templates/images/${name}`;
    for (const entry of data.entries) {
      entries.push({ entry, file });
      for (const pattern of entry.match) {
        if (pattern.endsWith('/*')) prefixes.push({ prefix: pattern.slice(0, -1), entry, file, pattern });
        else exact.set(pattern, { entry, file, pattern });
      }
    }
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  index = { exact, prefixes, entries };
  return index;
}

/** The knowledge entry for an image reference: an exact key first, else the longest namespace pattern. */
export function matchImage(ref: ImageRef | null): MatchedImage | null {
  if (!ref?.key) return null;
  const { exact, prefixes } = imageIndex();
  const hit = exact.get(ref.key) ?? prefixes.find((p) => ref.key!.startsWith(p.prefix));
  if (!hit) return null;
  const variant = ref.tag === null ? undefined : hit.entry.variants?.find((v) => variantPattern(v.tags).test(ref.tag!));
  return {
    entry: hit.entry,
    file: hit.file,
    pattern: hit.pattern,
    variant: variant?.note ?? null,
    user: variant?.user ?? hit.entry.user,
    capabilities: variant?.capabilities ?? hit.entry.capabilities,
    writable: variant?.writable ?? hit.entry.writable,
  };
}

const patterns = new Map<string, RegExp>();

function variantPattern(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) patterns.set(source, (pattern = new RegExp(source)));
  return pattern;
}

/** A short citation for a fact from an entry: the data file and the entry's first source. */
export function citeEntry(match: MatchedImage): string {
  return `${match.file}#${match.entry.id}`;
}
