// How long a staged package stays: CloudControl deletes staged files 14 days after upload (or after
// the export completed), counted per file; a package is gone when its first file goes. Pure, so the
// tree's wording is tested without an editor.
const DAY_MS = 86_400_000;

/** Whole days left until `expiresAt`, rounded up (a package going in 3 h has 1 day); 0 once passed. */
export function daysUntilDeletion(expiresAt: Date, now: Date = new Date()): number {
  const left = expiresAt.getTime() - now.getTime();
  return left <= 0 ? 0 : Math.ceil(left / DAY_MS);
}

/** The tree's description of when a package is deleted. */
export function describeDeletion(expiresAt: Date | undefined, now: Date = new Date()): string {
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) return 'deletion date unknown';
  if (expiresAt.getTime() <= now.getTime()) return 'due for deletion';
  const days = daysUntilDeletion(expiresAt, now);
  return days === 1 ? 'deleted within a day' : `deleted in ${days} days`;
}
