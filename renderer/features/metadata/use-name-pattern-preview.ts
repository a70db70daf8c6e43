/** Live preview of a file-name pattern (debounced; the newest answer wins). */
import { useEffect, useState } from 'react';
import type { NamePatternPreview } from '../../../src/common/api.js';
import { toAppError } from '../../../src/common/errors.js';
import { useClient } from '../../state/use-app-store.js';

export interface PatternPreviewState {
  readonly preview: NamePatternPreview | null;
  readonly pending: boolean;
  readonly error: string | null;
}

export function useNamePatternPreview(pattern: string, delayMs = 200): PatternPreviewState {
  const client = useClient();
  const [state, setState] = useState<PatternPreviewState>({ preview: null, pending: false, error: null });
  useEffect(() => {
    let live = true;
    if (!pattern.trim()) {
      setState({ preview: null, pending: false, error: null });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      client.core.previewNamePattern(pattern).then(
        (preview) => live && setState({ preview, pending: false, error: preview.error }),
        (e) => live && setState({ preview: null, pending: false, error: toAppError(e).userMessage }),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, pattern, delayMs]);
  return state;
}
