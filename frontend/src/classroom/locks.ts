/** What the teacher has locked or hidden for students (nothing for the teacher or outside a class). */
import { useShallow } from "zustand/react/shallow";
import { useStores } from "../store/context";
import { classStoreFor, useClass, type ControlGroup } from "./store";

const NONE: readonly ControlGroup[] = [];

export interface StudentLimits {
  locked: (group: ControlGroup) => boolean;
  hidden: (group: ControlGroup) => boolean;
}

export function useStudentLimits(): StudentLimits {
  const cls = classStoreFor(useStores().api);
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
