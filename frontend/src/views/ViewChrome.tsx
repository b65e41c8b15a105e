/** The parts every live view's frame shares: the toolbar (its own controls, then the timeline and
 * full-screen buttons) and the one-line hint under it. */
import type { ReactNode, RefObject } from "react";
import { FullscreenButton } from "./FullscreenButton";
import { TimelineBar } from "./TimelineBar";

export function ViewToolbar({
  visible,
  target,
  children,
}: {
  visible: boolean;
  /** what goes full screen */
  target: RefObject<HTMLElement | null>;
  children?: ReactNode;
}) {
  return (
    <div className="view-toolbar">
      {children}
      <TimelineBar visible={visible} />
      <FullscreenButton target={target} />
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
