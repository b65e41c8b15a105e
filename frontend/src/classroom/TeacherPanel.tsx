/** The teacher's side of the Class tab: the code and its QR for the projector, locks, pause, questions, forks. */
import { useEffect, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { ForkPublic } from "../generated";
import { useSpecStore, useStores } from "../store/context";
import { Results } from "./Results";
import { GROUPS, useClass, type ClassStore, type ControlGroup } from "./store";
import { JoinQr } from "./JoinQr";
import { OptionsField, TextField } from "./TextField";

const GROUP_LABEL: Record<ControlGroup, string> = {
  network: "Network editing",
  data: "Data",
  training: "Training settings",
  play: "Play / step",
  textbook: "Textbook mode",
  presets: "Presets, past runs",
};

/** The two switches each control group has: the room's list it toggles, and the column's verb. */
const SWITCHES = [
  { kind: "locked", verb: "lock" },
  { kind: "hidden", verb: "hide" },
] as const;

const FORKS_EVERY_MS = 3000;

export function joinLink(code: string): string {
  return `${window.location.origin}/?room=${code}`;
}

export function TeacherPanel({ cls }: { cls: ClassStore }) {
  const room = useClass(cls, (s) => s.room);
  const [projector, setProjector] = useState(false);
  const [message, setMessage] = useState("Eyes on the projector, please.");
  if (!room) return <p className="hint">Opening the room…</p>;
  const c = cls.getState();
  return (
    <>
      <section className="class-card class-code-card">
        <p className="hint">Students open</p>
        <p className="class-link" data-testid="class-link">
          {joinLink(room.code)}
        </p>
        <JoinQr link={joinLink(room.code)} size={120} />
        <p className="hint">or type the code</p>
        <p className="class-code" data-testid="class-code">
          {room.code}
        </p>
        <p className="hint" data-testid="class-students">
          {room.students ?? 0} student{room.students === 1 ? "" : "s"} joined
        </p>
        <button onClick={() => setProjector(true)}>Show the code large</button>
      </section>

      <section className="class-card">
        <h3>Students may…</h3>
        <table className="class-locks">
          <thead>
            <tr>
              <th />
              {SWITCHES.map(({ kind, verb }) => (
                <th key={kind}>{verb}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {GROUPS.map((g) => (
              <tr key={g}>
                <td>{GROUP_LABEL[g]}</td>
                {SWITCHES.map(({ kind, verb }) => (
                  <td key={kind}>
                    <input
                      type="checkbox"
                      aria-label={`${verb} ${g}`}
                      data-testid={`${verb}-${g}`}
                      checked={(room[kind] ?? []).includes(g)}
                      onChange={() => void c.toggle(kind, g)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="class-row">
          <input
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-label="pause message"
            maxLength={300}
          />
          {room.paused ? (
            <button data-testid="class-resume" onClick={() => void c.patch({ paused: false })}>
              Resume class
            </button>
          ) : (
            <button data-testid="class-pause" onClick={() => void c.patch({ paused: true, message })}>
              Pause class
            </button>
          )}
        </div>
      </section>

      <QuestionCard cls={cls} />
      <ForksCard cls={cls} />

      {projector ? (
        <div
          className="class-projector"
          role="dialog"
          aria-label="Join code"
          onClick={() => setProjector(false)}
        >
          <p>Join at</p>
          <p className="class-link">{joinLink(room.code)}</p>
          <div className="class-projector-codes">
            <JoinQr link={joinLink(room.code)} size={360} />
            <p className="class-code huge">{room.code}</p>
          </div>
          <p className="hint">click to close</p>
        </div>
      ) : null}
    </>
  );
}

function QuestionCard({ cls }: { cls: ClassStore }) {
  const question = useClass(cls, (s) => s.room?.question ?? null);
  const results = useClass(cls, (s) => s.results);
  const layers = useSpecStore(
    useShallow((s) => s.nodes.filter((n) => n.data.spec.kind !== "input").map((n) => n.id)),
  );
  const [kind, setKind] = useState<"choice" | "number">("choice");
  const [prompt, setPrompt] = useState("Will the loss go down?");
  const [options, setOptions] = useState("yes\nno");
  const [actual, setActual] = useState("");
  const c = cls.getState();
  const ask = () =>
    void c.ask({
      kind,
      prompt,
      options:
        kind === "choice"
          ? options
              .split("\n")
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
    });
  return (
    <section className="class-card">
      <h3>Predict, then run</h3>
      {question ? (
        <div className="class-question" data-testid="class-question">
          <p>
            <strong>{question.prompt}</strong> <span className="badge">{question.status}</span>
          </p>
          <p className="hint" data-testid="class-answers">
            {question.answers ?? 0} answered
          </p>
          {results && results.question.id === question.id ? <Results results={results} /> : null}
          {question.status === "open" ? (
            <button onClick={() => void c.setQuestion("closed")}>Close answers</button>
          ) : null}
          {question.status !== "revealed" ? (
            <div className="class-row">
              <input
                value={actual}
                onChange={(e) => setActual(e.target.value)}
                placeholder="what happened (optional)"
                aria-label="what happened"
              />
              <button
                data-testid="class-reveal"
                onClick={() => {
                  const n = Number(actual);
                  const value =
                    actual.trim() === ""
                      ? null
                      : question.kind === "number" && Number.isFinite(n)
                        ? n
                        : actual.trim();
                  void c.setQuestion("revealed", value);
                }}
              >
                Reveal
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <details open={!question}>
        <summary>{question ? "Ask another question" : "Ask a question"}</summary>
        <label className="field">
          <span>kind</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as "choice" | "number")}
            aria-label="question kind"
          >
            <option value="choice">choice</option>
            <option value="number">number</option>
          </select>
        </label>
        <TextField label="question" value={prompt} onChange={setPrompt} name="question" maxLength={300} />
        {kind === "choice" ? (
          <OptionsField name="options" value={options} onChange={setOptions}>
            <button className="link" onClick={() => setOptions(layers.join("\n"))}>
              fill from the network&apos;s layers
            </button>
          </OptionsField>
        ) : null}
        <button className="primary" data-testid="class-ask" onClick={ask}>
          Ask the class
        </button>
      </details>
    </section>
  );
}

function Sparkline({ values }: { values: number[] }) {
  if (values.length < 2) return <svg width={80} height={24} aria-hidden />;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pts = values
    .map((v, i) => `${(i / (values.length - 1)) * 78 + 1},${hi > lo ? 22 - ((v - lo) / (hi - lo)) * 20 : 12}`)
    .join(" ");
  return (
    <svg width={80} height={24} aria-label="loss curve">
      <polyline points={pts} className="spark" />
    </svg>
  );
}

function ForksCard({ cls }: { cls: ClassStore }) {
  const forks = useClass(cls, (s) => s.forks);
  const followed = useClass(cls, (s) => s.room?.run_id ?? null);
  const count = useClass(cls, (s) => s.room?.forks ?? 0);
  const { runs } = useStores();
  // The forks train on: their losses are read again every few seconds while any exist.
  useEffect(() => {
    if (!count) return;
    const timer = setInterval(() => void cls.getState().refreshForks(), FORKS_EVERY_MS);
    return () => clearInterval(timer);
  }, [cls, count]);
  const show = (f: ForkPublic) => {
    void cls.getState().patch({ run_id: f.run_id });
    void runs.getState().watchRun(f.run_id);
  };
  return (
    <section className="class-card">
      <h3>
        The class&apos;s runs{" "}
        <button className="link" onClick={() => void cls.getState().refreshForks()}>
          refresh
        </button>
      </h3>
      {forks.length === 0 ? <p className="hint">No student has tried it themselves yet.</p> : null}
      <ul className="class-forks" data-testid="class-forks">
        {forks.map((f, i) => (
          <li key={f.run_id} className={f.run_id === followed ? "shown" : undefined}>
            <span>#{i + 1}</span>
            <Sparkline values={f.loss_curve ?? []} />
            <span title="final loss">{f.loss != null ? `loss ${f.loss.toPrecision(3)}` : f.state}</span>
            <span title="accuracy">{f.accuracy != null ? `${(100 * f.accuracy).toFixed(0)}%` : ""}</span>
            <button onClick={() => show(f)} title="put this run on the projector">
              show
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
