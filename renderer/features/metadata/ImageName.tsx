/** An image's name, or its neutral code in blinded mode (the name must not show while blinded). */
import type { ImageEntry } from '../../../src/common/api.js';
import { selectBlindCodes } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

export function ImageName({ image, part = 'full' }: { image: Pick<ImageEntry, 'id' | 'displayName'>; part?: 'full' | 'file' }) {
  const code = useAppStore((s) => (s.blinded ? (selectBlindCodes(s).get(image.id) ?? '····') : null));
  if (code !== null) {
    return (
      <span className="blind-code" data-blind-code={code} title="Blinded: the name is hidden">
        {code}
      </span>
    );
  }
  return <>{part === 'file' ? image.displayName.slice(image.displayName.search(/[^\\/]*$/)) : image.displayName}</>;
}
