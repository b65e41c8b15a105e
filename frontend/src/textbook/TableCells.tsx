/** The cells and frame every table of the book is made of: a number cell, the examples' cells and
 * heads, the placeholder of a value a step has not computed yet, a weight's row head. */
import type { ReactNode } from "react";
import { formatNumber, type Precision, type BookQuantity } from "./logic/format";
import { exampleLabel } from "./logic/model";

export type Num = number | null;

// Why a cell is still empty: the step that fills it has not been taken.
export const NEEDS_BACKWARD = "Step backward to this layer";
export const NEEDS_UPDATE = "Apply the update";

export function Cell({
  v,
  q,
  precision,
  testId,
  current,
  compact,
}: {
  v: Num | undefined;
  q: BookQuantity;
  precision: Precision;
  testId?: string | undefined;
  current?: boolean;
  compact?: boolean;
}) {
  return (
    <td className={`num${current ? " current" : ""}`} data-testid={testId}>
      {formatNumber(v, precision, q, compact)}
    </td>
  );
}

/** One cell per example, the current example's marked; `testId` names the cell of example e. */
export function ExampleCells({
  values,
  q,
  precision,
  current,
  testId,
}: {
  values: readonly (Num | undefined)[];
  q: BookQuantity;
  precision: Precision;
  current: number;
  testId?: ((e: number) => string) | undefined;
}) {
  return (
    <>
      {values.map((v, e) => (
        <Cell key={e} v={v} q={q} precision={precision} current={e === current} testId={testId?.(e)} />
      ))}
    </>
  );
}

export function Hidden({ n, why }: { n: number; why: string }) {
  return (
    <>
      {Array.from({ length: n }, (_, i) => (
        <td key={i} className="num pending" title={why}>
          ·
        </td>
      ))}
    </>
  );
}

/** A table of the book: its caption, one header row and the body rows. */
export function BookTable({
  testId,
  caption,
  heads,
  className = "tb-table",
  children,
}: {
  testId?: string;
  caption: ReactNode;
  heads: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className} data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>{heads}</tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A weight's row head, w_{i,k} in the book's numbering. */
export function WeightHead({ i, k }: { i: number; k: number }) {
  return (
    <th scope="row">
      w<sub>{`${i},${k}`}</sub>
    </th>
  );
}

/** One value's cell once the step has computed it (`shown`), else a placeholder saying `why` not. */
export function CellOr({
  shown,
  why,
  ...cell
}: Parameters<typeof Cell>[0] & { shown: boolean; why: string }) {
  return shown ? <Cell {...cell} /> : <Hidden n={1} why={why} />;
}

export function ExampleHeads({ n, current }: { n: number; current: number }) {
  return (
    <>
      {Array.from({ length: n }, (_, e) => (
        <th key={e} className={e === current ? "current" : undefined} scope="col">
          {exampleLabel(e)}
        </th>
      ))}
    </>
  );
}
