/** Deep Zoom descriptors → an OpenSeadragon custom tile source whose tile URLs come from the client. */
export interface DziInfo {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly tileSize: number;
  readonly overlap: number;
  readonly format: string;
}

export function parseDzi(xml: string): DziInfo {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const image = doc.getElementsByTagName('Image')[0];
  const size = doc.getElementsByTagName('Size')[0];
  const num = (el: Element | undefined, name: string) => Number(el?.getAttribute(name));
  const info = {
    widthPx: num(size, 'Width'),
    heightPx: num(size, 'Height'),
    tileSize: num(image, 'TileSize'),
    overlap: num(image, 'Overlap') || 0,
    format: image?.getAttribute('Format') ?? 'jpeg',
  };
  if (!(info.widthPx > 0 && info.heightPx > 0 && info.tileSize > 0)) throw new Error('not a Deep Zoom descriptor');
  return info;
}

/** Resource path of a tile: `<name>.dzi` → `<name>_files/<level>/<x>_<y>.<format>`. */
export function dziTilePath(dziPath: string, info: DziInfo, level: number, x: number, y: number): string {
  return `${dziPath.replace(/\.dzi$/, '')}_files/${level}/${x}_${y}.${info.format}`;
}
