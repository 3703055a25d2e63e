// Online calls of the admin screens (docs/administration.md): roster import (template, upload →
// preview → apply, one-time password slips) and the admin audit log. Nothing here works offline:
// the server owns accounts, units and the audit.
import { api } from '@/sync/api'
import { download, isOnline, OfflineError } from './online'

export interface RosterRefusal { row: number; column: string; column_letter: string; value: string; reason: string }
export interface RosterEntry { row: number; username: string; name: string; unit: string; roles: string[]; roles_zh: string; post?: string; fields?: Record<string, [unknown, unknown]> }
export interface RosterSummary { added: number; changed: number; disabled: number; unchanged: number; refused: number; units_added: number; headcount_changed: number; employees: number }
export interface RosterPreview {
  summary: RosterSummary
  added: RosterEntry[]
  changed: RosterEntry[]
  disabled: RosterEntry[]
  refused: RosterRefusal[]
  units_added: { path: string; kind: string; is_handler_dept: boolean }[]
  token: string
  expires_in: number
}
export interface RosterApplied { summary: RosterSummary; slips_url: string | null; slips_count: number }
export interface AuditEntry { id: number; at: string; actor: string; actor_name: string; action: string; target: string | null; details: Record<string, unknown> }

function online(): void {
  if (!isOnline()) throw new OfflineError('offline')
}

export async function downloadRosterTemplate(): Promise<void> {
  await download('/api/admin/roster/template', '人员名单模板.xlsx')
}

/** Upload a roster (.xlsx or .csv) as the `file` part of a form: what an import would do. */
export async function previewRoster(file: Blob, name: string): Promise<RosterPreview> {
  online()
  const form = new FormData()
  form.append('file', file, name)
  return api<RosterPreview>('/api/admin/roster/preview', { method: 'POST', body: form, timeoutMs: 120000 })
}

export async function applyRoster(token: string, applyValid: boolean): Promise<RosterApplied> {
  online()
  return api<RosterApplied>('/api/admin/roster/apply', { method: 'POST', json: { token, apply_valid: applyValid }, timeoutMs: 300000 })
}

export async function downloadSlips(url: string): Promise<void> {
  await download(url, '一次性密码条.xlsx')
}

export async function fetchAudit(limit = 200, beforeId?: number): Promise<AuditEntry[]> {
  online()
  const q = new URLSearchParams({ limit: String(limit) })
  if (beforeId) q.set('before_id', String(beforeId))
  return api<AuditEntry[]>(`/api/admin/audit?${q}`, { timeoutMs: 30000 })
}

// 用户与设备: find users, edit them, reset to a one-time password; a user's devices, revoke one.
export interface AdminUser {
  id: string; username: string; name: string; roles: string[]; roles_zh: string; post: string
  unit_id: string; unit_path: string; disabled: boolean; must_change_password: boolean
  device_count: number; active_devices: number
}
export interface AdminDevice { id: string; name: string; created_at: string; last_seen_at: string | null; revoked_at: string | null; clock_offset_ms: number | null }
export interface UserChanges { name?: string; post?: string; unit?: string; roles?: string[]; disabled?: boolean }

export async function searchUsers(q: string, limit = 50, offset = 0): Promise<{ total: number; users: AdminUser[] }> {
  online()
  const params = new URLSearchParams({ q, limit: String(limit), offset: String(offset) })
  return api(`/api/admin/users?${params}`, { timeoutMs: 30000 })
}

export async function editUser(username: string, changes: UserChanges): Promise<Record<string, [unknown, unknown]>> {
  online()
  return api(`/api/admin/users/${encodeURIComponent(username)}`, { method: 'PATCH', json: changes, timeoutMs: 30000 })
}

export async function resetPassword(username: string): Promise<{ username: string; one_time_password: string }> {
  online()
  return api(`/api/admin/users/${encodeURIComponent(username)}/reset-password`, { method: 'POST', timeoutMs: 30000 })
}

export async function userDevices(username: string): Promise<AdminDevice[]> {
  online()
  return api(`/api/admin/users/${encodeURIComponent(username)}/devices`, { timeoutMs: 30000 })
}

export async function revokeDevice(deviceId: string): Promise<unknown> {
  online()
  return api(`/api/devices/${encodeURIComponent(deviceId)}/revoke`, { method: 'POST', timeoutMs: 30000 })
}

export interface OrgUnit { id: string; parent_id: string | null; name: string; disabled?: boolean }
export async function fetchUnits(): Promise<OrgUnit[]> {
  online()
  return api('/api/org/units', { timeoutMs: 30000 })
}

// 新增用户 and the org-tree editor (h3-admin).
export interface NewUser { username: string; name: string; unit: string; post: string; roles: string[]; phone: string }
export interface AddedUser {
  user: { id: string; username: string; name: string; roles: string[]; post: string; unit_id: string; unit_path: string }
  one_time_password: string; slips_url: string; slips_expires_in: number
}
export async function addUser(user: NewUser): Promise<AddedUser> {
  online()
  return api('/api/admin/roster/users', { method: 'POST', json: user, timeoutMs: 30000 })
}

export interface AdminUnit {
  id: string; parent_id: string | null; name: string; kind: string; path: string; name_path: string
  is_handler_dept: boolean; accounts: number; employee_count: number; disabled: boolean
}
export async function fetchAdminUnits(): Promise<AdminUnit[]> {
  online()
  return api('/api/admin/units', { timeoutMs: 30000 })
}
export async function addUnit(unit: { name: string; parent: string; kind: string; is_handler_dept: boolean }): Promise<{ id: string; path: string }> {
  online()
  return api('/api/admin/units', { method: 'POST', json: unit, timeoutMs: 30000 })
}
export async function editUnit(id: string, changes: { name?: string; parent?: string; is_handler_dept?: boolean }): Promise<{ id: string; path: string }> {
  online()
  return api(`/api/admin/units/${encodeURIComponent(id)}`, { method: 'PATCH', json: changes, timeoutMs: 30000 })
}
/** 停用 (true) or 启用 (false) a unit; the server answers 409 `unit.in_use` naming what still needs it. */
export async function setUnitDisabled(id: string, disabled: boolean): Promise<{ id: string; path: string; disabled: boolean }> {
  online()
  return api(`/api/admin/units/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`, { method: 'POST', timeoutMs: 30000 })
}
