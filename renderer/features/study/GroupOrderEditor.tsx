/** Group order for tables, charts and exports: the groups as chips, moved left / right. */
export function GroupOrderEditor({ groups, onChange }: { groups: readonly string[]; onChange(order: string[]): void }) {
  if (groups.length < 2) return null;
  const move = (i: number, d: -1 | 1) => {
    const next = [...groups];
    const j = i + d;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  return (
    <div className="group-order" role="list" aria-label="Group order" data-testid="group-order">
      {groups.map((g, i) => (
        <span key={g} className="order-chip" role="listitem">
          <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${g} left`} title="Move left">
            ‹
          </button>
          <span className="order-name">{g}</span>
          <button type="button" disabled={i === groups.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${g} right`} title="Move right">
            ›
          </button>
        </span>
      ))}
    </div>
  );
}
