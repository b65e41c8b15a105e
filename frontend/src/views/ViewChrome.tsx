/** The parts every live view's frame shares: its root, the toolbar (the view's own controls, then the
 * timeline and full-screen buttons), the one-line hint under it and the toolbar's checkboxes. */
import { createContext, useContext, useRef, type ReactNode, type RefObject } from "react";
import { FullscreenButton } from "./FullscreenButton";
import { TimelineBar } from "./TimelineBar";

interface ViewFrame {
  visible: boolean;
  /** what goes full screen */
  root: RefObject<HTMLElement | null>;
}

const ViewFrameContext = createContext<ViewFrame | null>(null);

/** A live view's root: what goes full screen, and the frame its toolbar belongs to. */
export function LiveView({
  visible,
  className,
  testId,
  children,
}: {
  visible: boolean;
  /** the view's own class, beside `live-view` */
  className: string;
  testId: string;
  children: ReactNode;
}) {
  const root = useRef<HTMLDivElement | null>(null);
  return (
    <ViewFrameContext.Provider value={{ visible, root }}>
      <div ref={root} className={`live-view ${className}`} data-testid={testId}>
        {children}
      </div>
    </ViewFrameContext.Provider>
  );
}

/** The toolbar of the LiveView it sits in: `children`, then the timeline and full-screen buttons. */
export function ViewToolbar({ children }: { children?: ReactNode }) {
  const frame = useContext(ViewFrameContext);
  if (!frame) throw new Error("ViewToolbar outside a LiveView");
  return (
    <div className="view-toolbar">
      {children}
      <TimelineBar visible={frame.visible} />
      <FullscreenButton target={frame.root} />
    </div>
  );
}

/** A hint of one line; the whole text on hover where it is cut. */
export function ViewHint({ text }: { text: string }) {
  return (
    <p className="view-hint" title={text}>
      {text}
    </p>
  );
}

/** A checkbox of a view's toolbar, with its label. */
export function ViewCheck({
  checked,
  onChange,
  title,
  testId,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  title?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <label className="check" title={title}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        data-testid={testId}
      />
      {children}
    </label>
  );
}
