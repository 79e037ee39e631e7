// The search box: a combobox whose popup is the results grid, so screen readers follow the active
// row while focus stays in the box. `/` anywhere on the page comes back to it.
import { useEffect } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { Icon } from '../../ui/icons.tsx';

type SearchBoxProps = {
  inputRef: RefObject<HTMLInputElement | null>;
  /** The id of the results grid this box controls. */
  listId: string;
  value: string;
  expanded: boolean;
  activeDescendant: string | undefined;
  onChange(value: string): void;
  onKeyDown(event: KeyboardEvent<HTMLInputElement>): void;
};

export function SearchBox({ inputRef, listId, value, expanded, activeDescendant, onChange, onKeyDown }: SearchBoxProps) {
  useSlashToSearch(inputRef);
  return (
    <>
      <div className="search-field">
        <Icon name="search" size={18} />
        <label htmlFor={`${listId}-input`} className="visually-hidden">
          Search instruments
        </label>
        <input
          ref={inputRef}
          id={`${listId}-input`}
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-haspopup="grid"
          aria-activedescendant={activeDescendant}
          aria-describedby={`${listId}-keys`}
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="Symbol, company, ISIN or F&O phrase"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {value !== '' && (
          <button
            type="button"
            className="search-clear"
            aria-label="Clear search"
            onClick={() => {
              onChange('');
              inputRef.current?.focus();
            }}
          >
            <Icon name="close" size={14} />
          </button>
        )}
        <kbd className="search-kbd" aria-hidden="true" title="Press / to search from anywhere on the page">
          /
        </kbd>
      </div>
      <p id={`${listId}-keys`} className="search-keys muted small">
        <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> clear · <kbd>/</kbd> search
      </p>
    </>
  );
}

/** `/` anywhere on the page focuses the search box, unless the user is typing somewhere else. */
function useSlashToSearch(input: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    function handle(event: globalThis.KeyboardEvent) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target !== null && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    }
    document.addEventListener('keydown', handle);
    return () => document.removeEventListener('keydown', handle);
  }, [input]);
}
