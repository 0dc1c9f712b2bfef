/**
 * The caps on a catalog file someone imports, diffs or exports from. Every file is untrusted, so
 * both the bytes on disk and the bytes a gzip stream inflates to are capped (checked while
 * inflating, so a bomb stops at the cap).
 */

/** Files larger than this are not a catalog (the real one is 1-2 MB; a 10k-model one ~25 MB). */
export const MAX_IMPORT_FILE_BYTES = 200 * 1024 * 1024
/** A gzip file inflating past this is a bomb or garbage, never a catalog. */
export const MAX_IMPORT_INFLATED_BYTES = 256 * 1024 * 1024
