/** Mounts components with the app's providers in jsdom (no testing library needed). */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { AppClient } from '../../../renderer/api/types.js';
import { ClientContext, StoreContext } from '../../../renderer/state/store-context.js';
import type { AppStore } from '../../../renderer/state/store.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Mounted {
  readonly container: HTMLElement;
  unmount(): Promise<void>;
}

export async function mount(ui: ReactNode, client: AppClient, store: AppStore): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root!: Root;
  await act(async () => {
    root = createRoot(container);
    root.render(
      <ClientContext.Provider value={client}>
        <StoreContext.Provider value={store}>{ui}</StoreContext.Provider>
      </ClientContext.Provider>,
    );
  });
  return {
    container,
    async unmount() {
      await act(async () => root.unmount());
      container.remove();
    },
  };
}

/** Lets pending promises and React updates settle. */
export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

export async function click(el: Element | null, init: MouseEventInit = {}): Promise<void> {
  if (!el) throw new Error('nothing to click');
  await act(async () => {
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, ...init }));
  });
}

export async function key(el: Element | null, k: string, init: KeyboardEventInit = {}): Promise<void> {
  if (!el) throw new Error('no element for the key');
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, ...init }));
  });
}
