// The interview checklist (rule book §四(一)): synced data (`catalogue` entity, id `checklist`),
// with the same content bundled as a fallback for a device that has never synced.
import bundled from './checklist.json'

export interface Prompt {
  id: string
  text_zh: string
  text_en: string
}

export interface Area {
  id: string
  title_zh: string
  title_en: string
  prompts: Prompt[]
}

export interface Checklist {
  id: string
  version: number
  areas: Area[]
}

export const BUNDLED_CHECKLIST: Checklist = bundled as Checklist

function isChecklist(v: unknown): v is Checklist {
  const c = v as Checklist
  return !!c && Array.isArray(c.areas) && c.areas.every((a) => typeof a.id === 'string' && Array.isArray(a.prompts))
}

/** The synced catalogue when present and well-formed (and not older than the bundled one). */
export function pickChecklist(synced: unknown): Checklist {
  if (isChecklist(synced) && (synced.version ?? 0) >= BUNDLED_CHECKLIST.version) return synced
  return BUNDLED_CHECKLIST
}

export function allPromptIds(c: Checklist): string[] {
  return c.areas.flatMap((a) => a.prompts.map((p) => p.id))
}

export function promptText(c: Checklist, id: string, locale: string): string {
  for (const a of c.areas) for (const p of a.prompts) if (p.id === id) return locale.startsWith('zh') ? p.text_zh : p.text_en
  return id
}
