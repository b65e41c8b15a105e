/** "Pause class": every student's screen is covered with the teacher's message until resumed. */
import { useStores } from "../store/context";
import { useClass } from "./store";

export function ClassOverlay() {
  const cls = useStores().classroom;
  const paused = useClass(cls, (s) => s.role === "student" && s.room?.paused === true);
  const message = useClass(cls, (s) => s.room?.message ?? null);
  const title = useClass(cls, (s) => s.room?.title ?? "");
  if (!paused) return null;
  return (
    <div className="class-pause" role="alertdialog" aria-label="Class paused" data-testid="class-paused">
      <div className="class-pause-card">
        <p className="class-pause-title">{title} · paused</p>
        <p className="class-pause-message">{message || "Eyes on the teacher, please."}</p>
      </div>
    </div>
  );
}
