// Who may call what. Staff sign in with a role; upstream systems use API keys with scopes.

export const staffRoles = ['admin', 'ops', 'compliance', 'viewer'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const apiKeyScopes = ['events:write', 'ingest:write', 'instruments:read', 'metrics:read', 'devices:write', 'preferences:write'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Role sets routes name, from the widest to the narrowest. */
export const anyStaff: readonly StaffRole[] = staffRoles;
export const operators: readonly StaffRole[] = ['admin', 'ops'];
export const adminsOnly: readonly StaffRole[] = ['admin'];
export const auditors: readonly StaffRole[] = ['admin', 'compliance'];

/** A route's access rule; routes without one are refused (closed by default). */
export type Access = { public: true } | { roles: readonly StaffRole[]; scopes?: readonly ApiKeyScope[] };

export type Principal =
  | { kind: 'user'; id: string; role: StaffRole; sessionFamily: string }
  | { kind: 'api-key'; id: string; name: string; scopes: ApiKeyScope[] };

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

/** A short, non-personal id of the principal for logs and the audit trail. */
export function describePrincipal(p: Principal | undefined): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
}
