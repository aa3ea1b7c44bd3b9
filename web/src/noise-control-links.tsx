import type { Me } from './api';
import { Link, useLocation } from './router';

const PAGES = [
  { href: '/silences', label: 'Silences', admin: false },
  { href: '/maintenance', label: 'Maintenance windows', admin: false },
  { href: '/inhibition-rules', label: 'Inhibition rules', admin: true },
  { href: '/event-rules', label: 'Event rules', admin: true },
];

/**
 * The noise-control pages link to each other here rather than each taking a place in the top
 * bar, which must stay one line at 1280 px with every admin link in it.
 */
export function NoiseControlLinks({ me }: { me: Me }) {
  const { path } = useLocation();
  return (
    <nav aria-label="Noise control" className="subnav">
      <ul>
        {PAGES.filter((page) => me.isPlatformAdmin || !page.admin).map((page) => (
          <li key={page.href}>
            <Link href={page.href} aria-current={path.startsWith(page.href) ? 'page' : undefined}>
              {page.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
