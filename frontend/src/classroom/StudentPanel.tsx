/** The student's side of the Class tab: who they are, the open question, and "try it yourself". */
import { useState } from "react";
import { useSpecStore, useStores } from "../store/context";
import { Results } from "./Results";
import { useClass, type ClassStore } from "./store";

export function StudentPanel({ cls }: { cls: ClassStore }) {
  const room = useClass(cls, (s) => s.room);
  const alias = useClass(cls, (s) => s.alias);
  const following = useClass(cls, (s) => s.following);
  const busy = useClass(cls, (s) => s.busy);
  const { runs, specs } = useStores();
  const valid = useSpecStore((s) => s.validation.status !== "invalid");
  if (!room) return <p className="hint">Joining the class…</p>;
  const tryIt = async () => {
    const run = await cls.getState().fork(specs.getState().spec());
    if (run) await runs.getState().adoptRun(run.id, run.owner);
  };
  const followAgain = () => {
    cls.getState().setFollowing(true);
    if (room.run_id) void runs.getState().watchRun(room.run_id);
  };
  return (
    <>
      <section className="class-card">
        <p>
          You are <strong data-testid="class-alias">{alias}</strong> in <strong>{room.title}</strong> (
          {room.code}).
        </p>
        <p className="hint" data-testid="class-following">
          {following ? "Following the teacher's screen." : "Training your own run."}
        </p>
        {following ? null : (
          <button onClick={followAgain} data-testid="class-follow-again">
            Follow the teacher again
          </button>
        )}
      </section>
      {room.question ? <Answer cls={cls} /> : null}
      <section className="class-card">
        <h3>Try it yourself</h3>
        <p className="hint">Train your own copy of this network (change it first if you like).</p>
        <button
          className="primary"
          data-testid="class-fork"
          disabled={busy || !valid}
          onClick={() => void tryIt()}
        >
          Try it yourself
        </button>
      </section>
    </>
  );
}

function Answer({ cls }: { cls: ClassStore }) {
  const q = useClass(cls, (s) => s.room!.question!);
  const mine = useClass(cls, (s) => s.answers[s.room!.question!.id]);
  const results = useClass(cls, (s) => s.results);
  const [number, setNumber] = useState("");
  const open = q.status === "open";
  return (
    <section className="class-card class-question" data-testid="class-question">
      <h3>{q.prompt}</h3>
      {q.kind === "choice" ? (
        <div className="class-options" role="radiogroup" aria-label={q.prompt}>
          {(q.options ?? []).map((o) => (
            <button
              key={o}
              role="radio"
              aria-checked={mine === o}
              className={mine === o ? "chosen" : undefined}
              disabled={!open}
              data-testid={`answer-${o}`}
              onClick={() => void cls.getState().answer(o)}
            >
              {o}
            </button>
          ))}
        </div>
      ) : (
        <div className="class-row">
          <input
            inputMode="decimal"
            value={number}
            disabled={!open}
            onChange={(e) => setNumber(e.target.value)}
            aria-label="your answer"
            data-testid="answer-number"
          />
          <button
            disabled={!open || !Number.isFinite(Number(number)) || number.trim() === ""}
            onClick={() => void cls.getState().answer(Number(number))}
          >
            Answer
          </button>
        </div>
      )}
      <p className="hint" data-testid="class-my-answer">
        {mine !== undefined
          ? `Your answer: ${mine}${open ? " (you can change it until the teacher closes it)" : ""}`
          : open
            ? "Answer before the teacher presses play."
            : "Answers are closed."}
      </p>
      {q.status === "revealed" && results && results.question.id === q.id ? (
        <Results results={results} />
      ) : null}
    </section>
  );
}
