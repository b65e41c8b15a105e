/** The live view in class: the teacher's choice is sent to the room, a student's follows it. */
import { useEffect } from "react";
import { useStores } from "../store/context";
import { useClass } from "./store";

export function useClassView(
  area: string,
  active: string | undefined,
  setActive: (id: string) => void,
  ids: readonly string[],
): void {
  const cls = useStores().classroom;
  const role = useClass(cls, (s) => s.role);
  const view = useClass(cls, (s) => s.view);
  const main = area === "main";
  const known = ids.join(" ");
  // Only a change of the teacher's view moves the student's tab; they may look elsewhere meanwhile.
  useEffect(() => {
    if (main && role === "student" && view && known.split(" ").includes(view)) setActive(view);
  }, [main, role, view, known, setActive]);
  useEffect(() => {
    if (main && role === "teacher" && active) cls.getState().setView(active);
  }, [main, role, active, cls]);
}
