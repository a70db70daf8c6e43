import { createContext } from 'react';
import type { AppClient } from '../api/types.js';
import type { AppStore } from './store.js';

export const StoreContext = createContext<AppStore | null>(null);
export const ClientContext = createContext<AppClient | null>(null);
