import { useState } from "react";
import { useClassView } from "../classroom/useClassView";
import { TabBar } from "./TabBar";
import type { ViewArea, ViewDefinition } from "./viewTypes";

// The live views are registered in src/views/index.ts (`export const views: ViewDefinition[]`).
// import.meta.glob keeps the shell building while that module does not exist yet.
const modules = import.meta.glob<{ views?: readonly ViewDefinition[] }>("../views/index.ts", { eager: true });
const registered: readonly ViewDefinition[] = Object.values(modules)[0]?.views ?? [];

export function viewsFor(area: ViewArea): readonly ViewDefinition[] {
  return registered.filter((v) => (v.area ?? "main") === area);
}

export function ViewsArea({ area = "main" }: { area?: ViewArea }) {
  const views = viewsFor(area);
  const [active, setActive] = useState<string | undefined>(views[0]?.id);
  useClassView(
    area,
    active,
    setActive,
    views.map((v) => v.id),
  );
  if (views.length === 0) return null;
  const current = views.find((v) => v.id === active) ?? views[0]!;
  return (
    <section className="views-area" aria-label="Live views">
      <TabBar
        as="div"
        tabs={views.map((v) => ({ id: v.id, label: v.title, title: v.description }))}
        current={current.id}
        onSelect={setActive}
      />
      <div className="views-body">
        {views.map((v) => {
          const View = v.component;
          const visible = v.id === current.id;
          return (
            <div key={v.id} className="view-slot" hidden={!visible} role="tabpanel">
              <View visible={visible} />
            </div>
          );
        })}
      </div>
    </section>
  );
}
