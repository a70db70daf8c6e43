/**
 * What the UI sees of its host: the CoreApi plus a few host services (file dialogs, text files,
 * dropped files, menu commands). The UI never asks which host it runs in; it asks the client.
 */
import type { CoreApi } from '../../src/common/api.js';

export type PickKind = 'files' | 'folder' | 'saveFile' | 'openFile';

export interface PickOptions {
  readonly kind: PickKind;
  /** Title of the dialog (in-app browser; native dialogs may ignore it). */
  readonly title?: string;
  /** Suggested file name for `saveFile`. */
  readonly defaultName?: string;
  /** `openFile`: only files with these extensions (no dot, any case) are offered; folders stay. */
  readonly extensions?: readonly string[];
}

/** A text file the user chose to open. */
export interface OpenedText {
  readonly name: string;
  readonly text: string;
}

/** Presents the in-app file browser (registered by the UI; used where the host has no native dialog). */
export type PathPickerUi = (o: PickOptions) => Promise<string[] | null>;

export interface AppClient {
  readonly core: CoreApi;
  /** URL of a resource path (thumbnail, DZI, tile, overlay). */
  resourceUrl(path: string): string;
  /** Files/folders chosen by the user (native dialog, or the in-app browser); null when cancelled. */
  pickPaths(o: PickOptions): Promise<string[] | null>;
  /** Saves text where the user says (native dialog, or a browser download). Returns a name, or null when cancelled. */
  saveText(suggestedName: string, text: string, mimeType: string): Promise<string | null>;
  /** Saves binary data (a PNG chart) the same way; null when cancelled. */
  saveBytes(suggestedName: string, bytes: Uint8Array, mimeType: string): Promise<string | null>;
  /** Reads a text file the user chooses; null when cancelled. */
  openText(accept: string): Promise<OpenedText | null>;
  /** Paths of files dropped on the window; null when this host cannot know them. */
  pathsOfDroppedFiles(files: readonly File[]): string[] | null;
  /** Application-menu commands (`toggle-overlay`, `images-opened` with its payload, …); returns an unsubscribe. */
  onMenu(cb: (action: string, payload?: unknown) => void): () => void;
  /** True when pickPaths uses the in-app browser (the UI then mounts it). */
  readonly needsPathPickerUi: boolean;
  setPathPickerUi(ui: PathPickerUi | null): void;
}
