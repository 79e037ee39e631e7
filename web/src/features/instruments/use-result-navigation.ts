// Keyboard control of the results from the search box: ↑/↓ and PageUp/PageDown move the active row,
// Enter opens it (or the first row), Esc clears. An Enter typed before the answer to the latest
// keystroke has arrived opens that answer's first row, so `infy⏎` typed fast still opens INFY.
import { useCallback, useEffect, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { SearchHit } from './instruments-api.ts';
import type { InstrumentSearch } from './use-instrument-search.ts';

const PAGE_STEP = 10;
const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: PAGE_STEP, PageUp: -PAGE_STEP };

export type ResultNavigation = {
  /** The row the keyboard is on, or -1. */
  activeIndex: number;
  open(index: number): void;
  handleKeyDown(event: KeyboardEvent<HTMLInputElement>): void;
};

export function useResultNavigation(search: InstrumentSearch, onOpen: (hit: SearchHit) => void, onClear: () => void): ResultNavigation {
  const { hits, answeredPath, loading, error } = search;
  const [active, setActive] = useState<{ path: string | undefined; index: number }>({ path: undefined, index: -1 });
  // Each new answer starts with no active row.
  const activeIndex = active.path === answeredPath ? active.index : -1;
  const [openWhenAnswered, setOpenWhenAnswered] = useState(false);

  const open = useCallback(
    (index: number) => {
      const hit = hits[index];
      if (hit === undefined) return;
      setActive({ path: answeredPath, index });
      onOpen(hit);
    },
    [hits, answeredPath, onOpen],
  );

  useEffect(() => {
    if (!openWhenAnswered || loading) return;
    setOpenWhenAnswered(false);
    if (error === undefined) open(0);
  }, [openWhenAnswered, loading, error, open]);

  function move(delta: number) {
    if (hits.length === 0) return;
    setOpenWhenAnswered(false);
    const from = activeIndex < 0 ? (delta > 0 ? -1 : hits.length) : activeIndex;
    setActive({ path: answeredPath, index: Math.min(hits.length - 1, Math.max(0, from + delta)) });
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    const delta = moves[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      move(delta);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (activeIndex >= 0) open(activeIndex);
      else if (loading) setOpenWhenAnswered(true);
      else open(0);
    } else if (event.key === 'Escape' && event.currentTarget.value !== '') {
      event.preventDefault();
      onClear();
    }
  }

  return { activeIndex, open, handleKeyDown };
}
