/** A collapsible panel section with a small-caps heading. */
import { useState, type ReactNode } from 'react';

export function Section({ title, children, aside, defaultOpen = true }: { title: string; children: ReactNode; aside?: ReactNode; defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <section className={`section${open ? '' : ' closed'}`}>
      <header>
        <button type="button" className="section-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span className="chevron" aria-hidden>
            ▸
          </span>
          {title}
        </button>
        {aside}
      </header>
      {open ? <div className="section-body">{children}</div> : null}
    </section>
  );
}
