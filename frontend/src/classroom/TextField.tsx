/** The Class tab's labelled text boxes: one line, or a question's options. */
import type { ReactNode } from "react";

/** A labelled one-line text box. */
export function TextField({
  label,
  name,
  value,
  onChange,
  placeholder,
  maxLength,
  testId,
  className,
}: {
  /** shown beside the box */
  label: string;
  /** what screen readers and tests call it */
  name: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  maxLength: number;
  testId?: string;
  className?: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-label={name}
        data-testid={testId}
        className={className}
        maxLength={maxLength}
      />
    </label>
  );
}

/** The options of a choice question, one a line; `children` go under the box. */
export function OptionsField({
  name,
  value,
  onChange,
  children,
}: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  return (
    <label className="field">
      <span>options (one a line)</span>
      <textarea rows={3} value={value} onChange={(e) => onChange(e.target.value)} aria-label={name} />
      {children}
    </label>
  );
}
