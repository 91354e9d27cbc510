// A <select> of ready-made options, wired to its field's label and error.

import { inputProps, type FieldErrors } from "../../ui/forms.tsx";

export interface Option {
  value: string;
  label: string;
}

export function Select({
  name,
  options,
  value,
  errors,
}: {
  name: string;
  options: Option[];
  value: string | undefined;
  errors: FieldErrors;
}) {
  return (
    <select {...inputProps(name, errors)}>
      {options.map((o) => (
        <option value={o.value} selected={o.value === value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
