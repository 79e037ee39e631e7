// The sections of the console, in sidebar order. Pages read their header text from here too,
// so the navigation and the pages cannot disagree about names.
import type { Role } from './api-client.ts';
import type { IconName } from '../ui/icons.tsx';

export type Section = {
  path: string;
  label: string;
  icon: IconName;
  /** Roles that see the link and may open the page; undefined means every role. */
  roles?: readonly Role[];
};

export const sections = [
  { path: '/', label: 'Overview', icon: 'overview' },
  { path: '/clients', label: 'Clients', icon: 'clients' },
  { path: '/ingestion', label: 'Ingestion', icon: 'ingestion' },
  { path: '/events', label: 'Events', icon: 'events' },
  { path: '/notifications', label: 'Notifications', icon: 'notifications' },
  { path: '/instruments', label: 'Instruments', icon: 'instruments' },
  { path: '/templates', label: 'Templates', icon: 'templates' },
  { path: '/admin', label: 'Admin', icon: 'admin', roles: ['admin'] },
] as const satisfies readonly Section[];

export function canSee(section: Section, role: Role): boolean {
  return section.roles === undefined || section.roles.includes(role);
}

export const roleLabels: Record<Role, { label: string; summary: string }> = {
  admin: { label: 'Admin', summary: 'Full access, including users, roles and API keys.' },
  ops: { label: 'Operations', summary: 'Runs ingestion, events and notifications day to day.' },
  compliance: { label: 'Compliance', summary: 'Reviews audit trails and reveals masked data with a reason.' },
  viewer: { label: 'Viewer', summary: 'Read-only access to dashboards and records.' },
};
