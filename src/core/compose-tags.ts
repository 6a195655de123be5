import type { CollectionTag, ScalarTag } from 'yaml';

/**
 * Compose 2.24+ tags. `!reset` drops an inherited value, `!override` replaces it instead of merging.
 * Collections keep their node (and so their source range); a `!reset` scalar reads as null.
 */
export const RESET_TAG = '!reset';
export const OVERRIDE_TAG = '!override';

const keepCollection = (value: unknown) => value;

export const composeTags: Array<ScalarTag | CollectionTag> = [
  { tag: RESET_TAG, resolve: () => null },
  { tag: RESET_TAG, collection: 'map', resolve: keepCollection },
  { tag: RESET_TAG, collection: 'seq', resolve: keepCollection },
  { tag: OVERRIDE_TAG, resolve: (value: string) => value },
  { tag: OVERRIDE_TAG, collection: 'map', resolve: keepCollection },
  { tag: OVERRIDE_TAG, collection: 'seq', resolve: keepCollection },
] as Array<ScalarTag | CollectionTag>;
