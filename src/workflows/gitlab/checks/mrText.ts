/** Predefined variables whose text the author of a merge request or commit chooses. */

/** Free text: titles, descriptions, messages. May hold spaces, quotes, newlines, globs. */
export const MR_FREE_TEXT = ['CI_MERGE_REQUEST_TITLE', 'CI_MERGE_REQUEST_DESCRIPTION', 'CI_COMMIT_MESSAGE', 'CI_COMMIT_TITLE', 'CI_COMMIT_DESCRIPTION', 'CI_COMMIT_AUTHOR', 'CI_COMMIT_TAG_MESSAGE', 'CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME'];

/** Branch names: no spaces or globs (git refuses them), but `$`, `;`, `` ` ``, `(` and quotes are allowed. */
const MR_REF_NAMES = ['CI_COMMIT_BRANCH', 'CI_COMMIT_REF_NAME', 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'];

export const MR_CONTROLLED = new Set([...MR_FREE_TEXT, ...MR_REF_NAMES]);
