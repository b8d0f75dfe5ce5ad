// [T2] Lifting a lock-out: a manager approves "unlock this associate" with their PIN on the tablet;
// the server checks the approval's proof the way it checks a discount approval (decision 16).

/** What a manager approves when lifting an associate's lock-out. */
export const unlockSubject = (associateId: string) => ({ kind: 'unlock' as const, associateId });

/** How old (either way, clock slack included) an unlock approval may be when it reaches the server. */
export const UNLOCK_APPROVAL_MS = 5 * 60_000;
