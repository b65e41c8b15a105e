/** The Class tab: open a room as the teacher, or join one as a student; then the role's panel. */
import { useState } from "react";
import { useSpecStore, useStores } from "../store/context";
import { LessonBuilder } from "./LessonBuilder";
import { StudentPanel } from "./StudentPanel";
import { TeacherPanel } from "./TeacherPanel";
import { useClass } from "./store";
import "./classroom.css";
import { TextField } from "./TextField";

export function ClassPanel() {
  const { classroom: cls, specs } = useStores();
  const role = useClass(cls, (s) => s.role);
  const error = useClass(cls, (s) => s.error);
  const busy = useClass(cls, (s) => s.busy);
  const specTitle = useSpecStore((s) => s.title);
  const [title, setTitle] = useState("");
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  return (
    <div className="panel class-panel" data-testid="class-panel">
      {error ? (
        <p className="field-error" role="alert">
          ⚠ {error}
        </p>
      ) : null}
      {role === "teacher" ? <TeacherPanel cls={cls} /> : null}
      {role === "student" ? null : <LessonBuilder cls={cls} />}
      {role === "student" ? <StudentPanel cls={cls} /> : null}
      {role ? (
        <button className="link" onClick={() => cls.getState().leave()} data-testid="class-leave">
          Leave the class
        </button>
      ) : (
        <>
          <section className="class-card">
            <h3>Teach a class</h3>
            <p className="hint">
              Students follow your screen on theirs: the network, the run, the view and textbook mode.
            </p>
            <TextField
              label="title"
              value={title}
              placeholder={specTitle ?? "Backprop, week 3"}
              onChange={setTitle}
              name="class title"
              maxLength={120}
            />
            <button
              className="primary"
              data-testid="class-open"
              disabled={busy}
              onClick={() =>
                void cls.getState().open(title.trim() || specTitle || "Class", specs.getState().spec(), {
                  lookAt: specs.getState().lookAt,
                })
              }
            >
              Open a room
            </button>
          </section>
          <section className="class-card">
            <h3>Join a class</h3>
            <TextField
              label="code"
              value={code}
              onChange={setCode}
              name="class code"
              testId="class-join-code"
              className="class-code-input"
              maxLength={12}
            />
            <TextField
              label="name (optional)"
              value={name}
              onChange={setName}
              name="your name"
              maxLength={40}
            />
            <button
              className="primary"
              data-testid="class-join"
              disabled={busy || code.trim().length < 4}
              onClick={() => void cls.getState().join(code, name.trim() || null)}
            >
              Join
            </button>
          </section>
        </>
      )}
    </div>
  );
}
