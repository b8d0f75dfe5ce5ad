// Who is signed in on this tablet (UI/session state only — never a copy of the database).
import { create } from 'zustand';
import type { Role } from '@/core/model';
import type { SignInProof } from '@/core/shared/sign-in-proof';

export interface SignedIn {
  id: string;
  name: string;
  role: Role;
  /** ms; the session ends at this time even offline. */
  until: number;
  /** [T2] Proof that this associate typed their PIN; every command made under the session carries it. */
  proof?: SignInProof;
}

export const SESSION_HOURS = 12;

export const useSession = create<{ who: SignedIn | null; set: (w: SignedIn | null) => void }>((set) => ({
  who: null,
  set: (who) => set({ who }),
}));

export const can = (role: Role | undefined, need: Role): boolean => {
  const rank: Record<Role, number> = { associate: 0, cashier: 1, manager: 2 };
  return role !== undefined && rank[role] >= rank[need];
};
