/**
 * The room's join link as a QR code, for phones and laptops pointed at the projector: one SVG path of
 * the dark modules, drawn crisp at any size.
 */
import { useMemo } from "react";
import { qrModules } from "./qr";

export function JoinQr({ link, size }: { link: string; size: number }) {
  const { path, side } = useMemo(() => qrModules(link), [link]);
  return (
    <svg
      className="class-qr"
      width={size}
      height={size}
      viewBox={`0 0 ${side} ${side}`}
      shapeRendering="crispEdges"
      role="img"
      aria-label={`QR code of ${link}`}
      data-testid="class-qr"
      data-link={link}
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
