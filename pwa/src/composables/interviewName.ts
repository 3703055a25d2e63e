// The interview's one name (domain/interviewName.ts) in the current locale, with this device's units.
import { useI18n } from 'vue-i18n'
import { useReference } from '@/composables/data'
import { fmtDate } from '@/shell/format'
import { interviewName, type InterviewNameParts } from '@/domain/interviewName'

export function useInterviewName(): (iv: InterviewNameParts) => string {
  const { t } = useI18n()
  const { unitById } = useReference()
  return (iv) => interviewName(iv, { form: (f) => t(`form.${f}`), unit: (id) => unitById.value.get(id)?.name, date: fmtDate })
}
