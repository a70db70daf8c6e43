/** Mounts the in-app file browser when the client asks for paths (hosts without native dialogs). */
import { useEffect, useState } from 'react';
import type { PickOptions } from '../../api/types.js';
import { useClient } from '../../state/use-app-store.js';
import { FileBrowserDialog } from './FileBrowserDialog.js';

interface Pending {
  readonly options: PickOptions;
  readonly resolve: (paths: string[] | null) => void;
}

export function PathPickerHost() {
  const client = useClient();
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => {
    if (!client.needsPathPickerUi) return;
    client.setPathPickerUi(
      (options) =>
        new Promise((resolve) =>
          setPending((prev) => {
            prev?.resolve(null);
            return { options, resolve };
          }),
        ),
    );
    return () => client.setPathPickerUi(null);
  }, [client]);
  if (!pending) return null;
  return (
    <FileBrowserDialog
      options={pending.options}
      onDone={(paths) => {
        pending.resolve(paths);
        setPending(null);
      }}
    />
  );
}
