/** Renderer entry: one client (Electron bridge or web host), one store, the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getClient } from './api/client.js';
import { App } from './features/app/App.js';
import { ErrorBoundary } from './features/app/ErrorBoundary.js';
import { createAppStore } from './state/store.js';
import { ClientContext, StoreContext } from './state/store-context.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/panels.css';
import './styles/dock.css';
import './styles/dialogs.css';
import './styles/study.css';

const client = getClient();
const store = createAppStore(client, { devtools: import.meta.env.DEV });
window.addEventListener('unhandledrejection', (e) => {
  store.getState().reportError(e.reason);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <StoreContext.Provider value={store}>
        <ErrorBoundary area="Calciquant">
          <App />
        </ErrorBoundary>
      </StoreContext.Provider>
    </ClientContext.Provider>
  </StrictMode>,
);
