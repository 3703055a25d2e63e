// Texts of the confirmations before a destructive action (shell/confirm.ts; merged into the
// locales under `confirm`).
export const zhCN = {
  title: '确认删除',
  keep: '保留',
  remove: '删除',
  discard: '丢弃',
  participant: '删除第 {n} 位职工（{post}）？已填写的岗位和姓名将一并删除。',
  participantNoPost: '删除第 {n} 位职工？已填写的内容将一并删除。',
  listItem: '删除“{text}”？',
  photo: '删除照片“{name}”？删除后不能恢复。',
  memo: '删除录音“{name}”？删除后不能恢复。',
  issueDraftTitle: '丢弃问题草稿',
  issueDraft: '丢弃这个未保存的问题“{text}”？已填写的内容将被删除，不能恢复。',
  issueDraftButton: '丢弃草稿',
  planTitle: '取消访谈计划',
  plan: '取消这项访谈计划（{what}）？',
  planConfirm: '取消计划',
}

export const en: typeof zhCN = {
  title: 'Delete?',
  keep: 'Keep',
  remove: 'Delete',
  discard: 'Discard',
  participant: 'Delete participant {n} ({post})? The post and name typed are deleted with it.',
  participantNoPost: 'Delete participant {n}? What was typed is deleted with it.',
  listItem: 'Delete “{text}”?',
  photo: 'Delete the photo “{name}”? This cannot be undone.',
  memo: 'Delete the voice memo “{name}”? This cannot be undone.',
  issueDraftTitle: 'Discard problem draft',
  issueDraft: 'Discard the unsaved problem “{text}”? What was typed is deleted and cannot be recovered.',
  issueDraftButton: 'Discard draft',
  planTitle: 'Cancel plan item',
  plan: 'Cancel this plan item ({what})?',
  planConfirm: 'Cancel item',
}
