/** Above the canvas while a room steps through a lesson: "Step k of n: title" and the step's note
 * for the class, on the teacher's (projected) screen and every student's; the teacher's has
 * Previous and Next, and how many have answered the step's open question. */
import { useStores } from "../store/context";
import { neighbours, stepLabel } from "./lesson";
import { useClass } from "./store";

export function LessonBanner() {
  const cls = useStores().classroom;
  const lesson = useClass(cls, (s) => (s.role ? (s.room?.lesson ?? null) : null));
  const teacher = useClass(cls, (s) => s.role === "teacher");
  const busy = useClass(cls, (s) => s.busy);
  const question = useClass(cls, (s) => s.room?.question ?? null);
  if (!lesson) return null;
  const { previous, next } = neighbours(lesson);
  const go = (step: number | null) => {
    if (step !== null) void cls.getState().goToStep(step);
  };
  return (
    <div className="lesson-banner" role="region" aria-label="Lesson" data-testid="lesson-banner">
      <div className="lesson-banner-text">
        <span className="lesson-banner-title">{lesson.title}</span>
        <strong className="lesson-banner-step" data-testid="lesson-step">
          {stepLabel(lesson)}
        </strong>
        {lesson.note ? (
          <span className="lesson-banner-note" data-testid="lesson-note">
            {lesson.note}
          </span>
        ) : null}
      </div>
      {teacher && question?.status === "open" ? (
        <span className="lesson-banner-answers" data-testid="lesson-answers" title={question.prompt}>
          {question.answers ?? 0} answered
        </span>
      ) : null}
      {teacher ? (
        <div className="lesson-banner-nav">
          <button onClick={() => go(previous)} disabled={busy || previous === null} data-testid="lesson-prev">
            ◀ Previous
          </button>
          <button
            className="primary"
            onClick={() => go(next)}
            disabled={busy || next === null}
            data-testid="lesson-next"
          >
            Next ▶
          </button>
        </div>
      ) : null}
    </div>
  );
}
