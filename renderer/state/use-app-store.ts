import { useContext } from 'react';
import { useStore } from 'zustand';
import type { AppClient } from '../api/types.js';
import type { AppState } from './app-state.js';
import { ClientContext, StoreContext } from './store-context.js';
import type { AppStore } from './store.js';

/** Reads from the app store with a selector (memoized selectors for arrays/objects, or useShallow). */
export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <StoreContext.Provider>');
  return store;
}

export function useClient(): AppClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
