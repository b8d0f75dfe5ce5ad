// The tablet's long-lived services (local database, sync engine), one of each per tab, via context.
import { createContext, useContext } from 'react';
import { VitrineDb } from '@/db/schema';
import { SyncEngine } from '@/sync/engine';

export interface Services {
  db: VitrineDb;
  engine: SyncEngine;
}

export function createServices(): Services {
  const db = new VitrineDb();
  return { db, engine: new SyncEngine(db) };
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <ServicesContext.Provider>');
  return s;
}
