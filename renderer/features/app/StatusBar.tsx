/** Bottom line: pixel under the cursor (value and OD), app version and workers. */
import { useAppStore } from '../../state/use-app-store.js';

export function StatusBar() {
  const probe = useAppStore((s) => s.probe);
  const info = useAppStore((s) => s.appInfo);
  return (
    <footer className="statusbar">
      <span className="probe" data-testid="probe">
        {probe ? (
          <>
            <span className="k">x</span> {probe.xPx} <span className="k">y</span> {probe.yPx}
            <span className="sep" />
            <span className="k">RGB</span> <span className="c r">{probe.rgb[0]}</span> <span className="c g">{probe.rgb[1]}</span> <span className="c b">{probe.rgb[2]}</span>
            {probe.bitDepth === 16 ? <span className="k"> (16-bit)</span> : null}
            <span className="sep" />
            <span className="k">OD</span> {probe.od.map((v) => v.toFixed(3)).join('  ')}
          </>
        ) : (
          <span className="k">Move the pointer over the image for pixel values and optical density</span>
        )}
      </span>
      <span className="tb-spacer" />
      {info ? (
        <span className="k">
          Calciquant {info.version} · {info.workers} analysis worker{info.workers === 1 ? '' : 's'} · press ? for shortcuts
        </span>
      ) : null}
    </footer>
  );
}
