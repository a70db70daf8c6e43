/** One image in the library list: thumbnail, name, size, status. */
import { memo, type MouseEvent } from 'react';
import type { ImageEntry } from '../../../src/common/api.js';
import { formatBytes } from '../../components/format.js';
import { selectShownMessage } from '../../state/blinding.js';
import { selectImageStatus } from '../../state/selectors.js';
import { useAppStore, useClient } from '../../state/use-app-store.js';
import { GroupChips } from '../metadata/GroupChips.js';
import { ImageName } from '../metadata/ImageName.js';
import { StatusBadge } from './StatusBadge.js';

export const LibraryItem = memo(function LibraryItem({ image, selected, current }: { image: ImageEntry; selected: boolean; current: boolean }) {
  const client = useClient();
  const status = useAppStore(selectImageStatus(image.id));
  const select = useAppStore((s) => s.select);
  const blinded = useAppStore((s) => s.blinded);
  const onClick = (e: MouseEvent) => select(image.id, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only');
  const cut = image.displayName.search(/[^\\/]*$/);
  const folder = image.displayName.slice(0, cut).replace(/[\\/]$/, '');
  const fileName = image.displayName.slice(cut);
  const dims = image.widthPx && image.heightPx ? `${image.widthPx} × ${image.heightPx}` : null;
  const errorText = useAppStore(selectShownMessage(image.id, status.kind === 'error' || status.kind === 'cancelled' ? status.message : null));
  return (
    <li
      className={`lib-item${selected ? ' selected' : ''}${current ? ' current' : ''}`}
      role="option"
      aria-selected={selected}
      data-image-id={image.id}
      data-name={image.displayName}
      onClick={onClick}
      title={errorText ?? (blinded ? undefined : image.path)}
    >
      <div className="thumb">
        {image.error ? (
          <div className="thumb-missing" aria-hidden>
            !
          </div>
        ) : (
          <img src={client.resourceUrl(image.thumbnailPath)} alt="" loading="lazy" draggable={false} />
        )}
      </div>
      <div className="lib-meta">
        <div className="lib-name">{blinded ? <ImageName image={image} /> : fileName}</div>
        {folder && !blinded ? <div className="lib-folder">{folder}</div> : null}
        <div className="lib-sub">
          {formatBytes(image.sizeBytes)}
          {dims ? ` · ${dims}` : ''}
          {image.pixelSizeUm ? ` · ${Number(image.pixelSizeUm.toPrecision(3))} µm/px` : ''}
        </div>
        <GroupChips imageId={image.id} />
        {errorText && status.kind === 'error' ? <div className="lib-error">{errorText}</div> : null}
      </div>
      <StatusBadge status={status} />
    </li>
  );
});
