// The lookup form: which key, its value, search. The server checks the value (a malformed PAN, say)
// and its message shows under the box.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Icon } from '../../ui/icons.tsx';
import { lookupKeys, lookupLabel } from './clients-api.ts';
import type { Lookup, LookupKey } from './clients-api.ts';

export function LookupForm({ initial, busy, fieldError, onSearch }: {
  initial: Lookup | null;
  busy: boolean;
  /** The server's reason a value was refused; shown while the form still holds that value. */
  fieldError: { lookup: Lookup; message: string } | null;
  onSearch(lookup: Lookup): void;
}) {
  const [key, setKey] = useState<LookupKey>(initial?.key ?? 'clientCode');
  const [value, setValue] = useState(initial?.value ?? '');
  const [localError, setLocalError] = useState<string | null>(null);
  const id = useId();
  const entry = lookupKeys.find((candidate) => candidate.key === key) ?? lookupKeys[0]!;
  const refused = fieldError !== null && fieldError.lookup.key === key && fieldError.lookup.value === value.trim();
  const error = localError ?? (refused ? fieldError.message : null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value.trim() === '') {
      setLocalError(`Enter a ${lookupLabel(key).toLowerCase()} to search for.`);
      return;
    }
    setLocalError(null);
    onSearch({ key, value: value.trim() });
  }

  return (
    <form className="lookup-form" onSubmit={handleSubmit} noValidate role="search" aria-label="Find a client">
      <div className="lookup-row">
        <label className="visually-hidden" htmlFor={`${id}-key`}>
          Look up by
        </label>
        <select
          id={`${id}-key`}
          name="key"
          className="lookup-key"
          value={key}
          onChange={(event) => {
            setKey(event.target.value as LookupKey);
            setLocalError(null);
          }}
        >
          {lookupKeys.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {candidate.label}
            </option>
          ))}
        </select>
        <div className="lookup-input" data-invalid={error !== null}>
          <Icon name="search" size={16} />
          <label className="visually-hidden" htmlFor={`${id}-value`}>
            {entry.label}
          </label>
          <input
            id={`${id}-value`}
            name="value"
            type="text"
            inputMode={entry.inputMode}
            autoComplete="off"
            spellCheck={false}
            placeholder={entry.placeholder}
            value={value}
            aria-invalid={error !== null}
            aria-describedby={error !== null ? `${id}-error` : `${id}-hint`}
            onChange={(event) => {
              setValue(event.target.value);
              setLocalError(null);
            }}
          />
        </div>
        <button type="submit" className="button button-primary lookup-submit" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </div>
      {error !== null ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          <Icon name="alert" size={14} />
          <span>{error}</span>
        </p>
      ) : (
        <p id={`${id}-hint`} className="muted small">
          Exact matches only: the whole PAN, mobile number, email address or client code.
        </p>
      )}
    </form>
  );
}
