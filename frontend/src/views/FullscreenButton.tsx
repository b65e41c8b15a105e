/**
 * Show one live view alone on the whole screen (the projector case): the view's own element goes
 * full screen through the Fullscreen API, so nothing else in the layout has to change.
 */
import { useEffect, useState } from "react";

export function FullscreenButton({ target }: { target: React.RefObject<HTMLElement | null> }) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const onChange = () =>
      setActive(document.fullscreenElement === target.current && target.current !== null);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [target]);
  if (typeof document === "undefined" || !document.fullscreenEnabled) return null;
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void target.current?.requestFullscreen?.();
  };
  return (
    <button
      type="button"
      className="fullscreen-btn"
      onClick={toggle}
      title={active ? "Leave full screen (Esc)" : "Show this view full screen"}
      aria-label={active ? "Leave full screen" : "Full screen"}
    >
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
        <path
          d={active ? "M5 1v4H1M9 1v4h4M5 13V9H1M9 13V9h4" : "M1 5V1h4M13 5V1H9M1 9v4h4M13 9v4H9"}
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        />
      </svg>
    </button>
  );
}
