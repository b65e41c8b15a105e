/** What the teacher has locked or hidden for students (nothing for the teacher or outside a class). */
import { useShallow } from "zustand/react/shallow";
import { useStores } from "../store/context";
import { useClass, type ClassStore, type ControlGroup } from "./store";

const NONE: readonly ControlGroup[] = [];

export interface StudentLimits {
  locked: (group: ControlGroup) => boolean;
  hidden: (group: ControlGroup) => boolean;
}

export function useStudentLimits(): StudentLimits {
  const cls = useStores().classroom;
  const { student, locked, hidden } = useClass(
    cls,
    useShallow((s) => ({
      student: s.role === "student",
      locked: s.room?.locked ?? NONE,
      hidden: s.room?.hidden ?? NONE,
    })),
  );
  return {
    locked: (g) => student && locked.includes(g),
    hidden: (g) => student && hidden.includes(g),
  };
}

/** Which control group a keyboard shortcut belongs to (the legend belongs to none). */
const SHORTCUT_GROUP: Record<string, ControlGroup> = {
  togglePlay: "play",
  step: "play",
  epoch: "play",
  reset: "play",
  speedSlow: "play",
  speedMedium: "play",
  speedFull: "play",
  undo: "network",
  redo: "network",
  layout: "network",
};

/** True when a student's shortcut would reach a control the teacher locked or hid, or the class
 * is paused: keys must not get round what the screen disables. */
export function shortcutBlocked(cls: ClassStore, action: string): boolean {
  const { role, room } = cls.getState();
  if (role !== "student" || !room) return false;
  if (room.paused) return action !== "legend";
  const group = SHORTCUT_GROUP[action];
  return group !== undefined && ((room.locked ?? []).includes(group) || (room.hidden ?? []).includes(group));
}
