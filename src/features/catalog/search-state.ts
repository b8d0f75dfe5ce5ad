// What the associate typed and filtered on the products page: kept while they open products and come back.
import { create } from 'zustand';
import { NO_FILTERS, type Filters } from './search-filters';

interface SearchState {
  q: string;
  filters: Filters;
  setQ(q: string): void;
  setFilters(update: (f: Filters) => Filters): void;
}

export const useSearchState = create<SearchState>((set) => ({
  q: '',
  filters: NO_FILTERS,
  setQ: (q) => set({ q }),
  setFilters: (update) => set((s) => ({ filters: update(s.filters) })),
}));
