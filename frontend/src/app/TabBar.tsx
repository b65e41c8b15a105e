/** A row of tabs (role tablist): one button per tab, the current one selected. */
import type { ReactNode } from "react";

export interface TabSpec<T extends string> {
  id: T;
  label: ReactNode;
  /** shown on hover */
  title?: string | undefined;
}

export function TabBar<T extends string>({
  tabs,
  current,
  onSelect,
  as: Root = "nav",
  className = "tabs",
  tabClass = (selected) => (selected ? "tab active" : "tab"),
  ariaLabel,
  testIdPrefix,
}: {
  tabs: readonly TabSpec<T>[];
  current: T;
  onSelect: (id: T) => void;
  as?: "nav" | "div";
  className?: string;
  tabClass?: (selected: boolean) => string | undefined;
  ariaLabel?: string;
  /** each tab's data-testid is this prefix and its id */
  testIdPrefix?: string;
}) {
  return (
    <Root className={className} role="tablist" aria-label={ariaLabel}>
      {tabs.map((t) => (
        <button
          key={t.id}
          role="tab"
          aria-selected={t.id === current}
          title={t.title}
          className={tabClass(t.id === current)}
          onClick={() => onSelect(t.id)}
          data-testid={testIdPrefix === undefined ? undefined : `${testIdPrefix}${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </Root>
  );
}
