/** Blinded mode: hides file names and groups while regions are drawn and masks reviewed. */
import { Icon } from '../../components/Icon.js';
import { useAppStore } from '../../state/use-app-store.js';

export function BlindToggle() {
  const blinded = useAppStore((s) => s.blinded);
  const setBlinded = useAppStore((s) => s.setBlinded);
  return (
    <button
      type="button"
      className={`btn small blind-toggle${blinded ? ' on' : ' ghost'}`}
      aria-pressed={blinded}
      onClick={() => void setBlinded(!blinded)}
      data-testid="blind-toggle"
      title={blinded ? 'Blinded: names and groups are hidden, the order is random. Click to show them again.' : 'Blind the review: hide file names and groups, list images in a random order (exports record it)'}
    >
      <Icon name={blinded ? 'eyeOff' : 'eye'} size={13} /> {blinded ? 'Blinded' : 'Blind'}
    </button>
  );
}
