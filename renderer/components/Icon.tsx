/** A small set of stroke icons (24 × 24 grid), drawn in the current text colour. */
const PATHS = {
  open: 'M3 7h6l2 2h10v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z M3 7V5a1 1 0 0 1 1-1h5l2 2',
  files: 'M7 3h7l5 5v13H7z M14 3v5h5',
  folder: 'M3 6h6l2 2h10v11H3z',
  samples: 'M9 3h6 M10 3v6l-5 9a2 2 0 0 0 2 3h10a2 2 0 0 0 2-3l-5-9V3 M7.5 15h9',
  play: 'M7 5l12 7-12 7z',
  stop: 'M6 6h12v12H6z',
  retry: 'M20 11a8 8 0 1 0-2.3 5.7 M20 5v6h-6',
  download: 'M12 4v11 M7 10l5 5 5-5 M5 20h14',
  export: 'M4 14v5h16v-5 M12 15V4 M7 9l5-5 5 5',
  zoomIn: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14 M20 20l-4-4 M8 11h6 M11 8v6',
  zoomOut: 'M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14 M20 20l-4-4 M8 11h6',
  fit: 'M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5',
  actual: 'M5 5h14v14H5z M9 9v6 M14 9v6',
  layers: 'M12 3l9 5-9 5-9-5z M3 13l9 5 9-5',
  help: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6 M12 17h.01',
  close: 'M6 6l12 12 M18 6L6 18',
  up: 'M12 19V5 M6 11l6-6 6 6',
  trash: 'M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13',
  save: 'M5 4h11l3 3v13H5z M8 4v5h7V4 M8 20v-6h8v6',
  load: 'M4 14v5h16v-5 M12 4v11 M7 10l5 5 5-5',
  check: 'M5 12l5 5 9-10',
  alert: 'M12 3l10 18H2z M12 10v5 M12 18h.01',
  home: 'M4 11l8-7 8 7 M6 9v11h12V9',
  image: 'M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15 9h.01',
  sort: 'M7 4v16 M4 17l3 3 3-3 M17 20V4 M14 7l3-3 3 3',
  search: 'M10 4a6 6 0 1 0 0 12a6 6 0 1 0 0-12 M20 20l-5.5-5.5',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6',
  eyeOff: 'M3 3l18 18 M10.6 5.1A10 10 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4.1 M6.6 6.6C3.7 8.4 2 12 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6 M9.9 9.9a3 3 0 0 0 4.2 4.2',
  tag: 'M3 12V4h8l10 10-8 8z M7.5 7.5h.01',
  table: 'M4 5h16v14H4z M4 10h16 M4 15h16 M10 5v14',
  grid: 'M4 4h7v7H4z M13 4h7v7h-7z M4 13h7v7H4z M13 13h7v7h-7z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, title }: { name: IconName; size?: number; title?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  );
}
