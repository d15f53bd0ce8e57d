// A page's h1: names the browser tab, and takes the focus when the page opens so that a
// screen reader announces where a link led (live updates never move it).
import { useEffect, useRef, type ReactNode } from 'react';

export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Bankswitch`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
