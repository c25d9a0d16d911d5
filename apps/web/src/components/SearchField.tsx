import { Input } from './Field.tsx';
import { SearchIcon } from './icons.tsx';

/** The search box of a list page: a magnifier, a visually hidden label, `type="search"`. */
export function SearchField({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="relative w-full sm:w-72">
      <SearchIcon className="pointer-events-none absolute bottom-2.5 left-3 text-muted" />
      <Input
        label={label}
        hideLabel
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputClassName="pl-9"
      />
    </div>
  );
}
