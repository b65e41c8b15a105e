/** A canvas that fills its box and is redrawn when the box resizes or `deps` change. */
import { useEffect, useRef } from "react";
import { useElementSize } from "../views/useLiveDraw";

export function CanvasBox({
  draw,
  deps,
  className,
  testId,
  label,
}: {
  draw: (canvas: HTMLCanvasElement, w: number, h: number) => void;
  deps: readonly unknown[];
  className?: string;
  testId?: string;
  label: string;
}) {
  const [boxRef, size, version] = useElementSize<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const c = canvasRef.current;
    const { w, h } = size.current;
    if (c && w > 0 && h > 0) draw(c, w, h);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, ...deps]);
  return (
    <div className={`canvas-box ${className ?? ""}`} ref={boxRef}>
      <canvas ref={canvasRef} data-testid={testId} role="img" aria-label={label} />
    </div>
  );
}
