// One confirmation for every destructive action on a cadre screen (docs/pwa.md "Touch targets"):
// a dialog that names what goes, a red 删除 and a 保留 that keeps everything. Resolves true only when
// the user confirmed; nothing is deleted before that.
import { showConfirmDialog } from 'vant'
import { i18n } from '@/i18n'

export async function confirmDestructive(message: string, opts: { title?: string; confirm?: string; cancel?: string } = {}): Promise<boolean> {
  const t = i18n.global.t as (k: string) => string
  try {
    await showConfirmDialog({
      title: opts.title ?? t('confirm.title'),
      message,
      confirmButtonText: opts.confirm ?? t('confirm.remove'),
      confirmButtonColor: 'var(--van-danger-color)',
      cancelButtonText: opts.cancel ?? t('confirm.keep'),
    })
    return true
  } catch {
    return false
  }
}
