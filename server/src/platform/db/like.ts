/** A user's text inside LIKE matches literally: % and _ are not wildcards. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `%text%` for a case-insensitive substring match on a lower()-indexed column. */
export const containsPattern = (s: string) => `%${likeEscape(s.toLowerCase())}%`;
