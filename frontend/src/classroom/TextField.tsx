/** A labelled one-line text box of the Class tab. */
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
