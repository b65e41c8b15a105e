/** The keyboard shortcuts, always one key away (?), and shown in the footer bar. */
export const SHORTCUTS: readonly [string, string][] = [
  ["Space", "play / pause"],
  ["S", "one step"],
  ["E", "one epoch"],
  ["R", "reset"],
  ["1 2 3", "speed slow / medium / full"],
  ["Ctrl+Z", "undo"],
  ["Ctrl+Shift+Z", "redo"],
  ["L", "auto-layout"],
  ["Del", "delete selected"],
  ["?", "show / hide this legend"],
];

export function ShortcutsLegend({ compact }: { compact?: boolean }) {
  return (
    <dl className={compact ? "shortcuts compact" : "shortcuts"} aria-label="Keyboard shortcuts">
      {SHORTCUTS.map(([key, what]) => (
        <div key={key}>
          <dt>
            <kbd>{key}</kbd>
          </dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}
