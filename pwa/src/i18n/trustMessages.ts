// Texts of the small things a cadre trusts the app by (issue 16 point 7), merged into the locales at
// the top level: what 立即同步 did, the problem drafts left when an interview is submitted, where a
// plan item stands, when a remark was written, and the PIN keypad.
export const zhCN = {
  manualSync: {
    offline: '当前离线：{n} 条修改已保存在本机，联网后会自动同步。',
    offlineNothing: '当前离线，联网后会自动同步。',
    unreachable: '连不上服务器：{n} 条修改仍保存在本机，稍后会自动重试。',
    unreachableNothing: '连不上服务器，稍后会自动重试。',
    failed: '同步未完成：{reason}。{n} 条修改仍保存在本机。',
    done: '已同步',
    doneWithMedia: '已同步，照片/录音还有 {n} 个在上传',
  },
  submitDrafts: {
    title: '还有未保存的问题',
    message: '本次访谈还有 {n} 个问题草稿没有保存（{first}），提交访谈时不会带上它们。请先回到草稿补全并保存问题，或者仍然提交访谈（草稿会保留在本机）。',
    back: '返回草稿',
    submitAnyway: '仍然提交',
  },
  visitPlan: {
    standing: { overdue: '已逾期', current: '待访谈', upcoming: '未开始' },
    completed: '已完成的计划（{n} 项）',
    showCompleted: '显示已完成的 {n} 项',
    hideCompleted: '收起已完成',
    started: '已开始（草稿）',
  },
  remarkTime: {
    writtenAt: '记录于 {at}',
  },
  pinKeypad: {
    letters: '使用全键盘',
    digits: '使用数字键盘',
  },
}

export const en: typeof zhCN = {
  manualSync: {
    offline: 'Offline: {n} changes are saved on this device and will sync once online.',
    offlineNothing: 'Offline: sync resumes once online.',
    unreachable: 'Cannot reach the server: {n} changes stay saved on this device; retrying later.',
    unreachableNothing: 'Cannot reach the server; retrying later.',
    failed: 'Sync not finished: {reason}. {n} changes stay saved on this device.',
    done: 'Synced',
    doneWithMedia: 'Synced; {n} photos/recordings still uploading',
  },
  submitDrafts: {
    title: 'Unsaved problems',
    message: 'This interview has {n} unsaved problem drafts ({first}); submitting the interview does not include them. Go back to the draft to complete and save it, or submit anyway (the drafts stay on this device).',
    back: 'Back to the draft',
    submitAnyway: 'Submit anyway',
  },
  visitPlan: {
    standing: { overdue: 'Overdue', current: 'Due now', upcoming: 'Not yet open' },
    completed: 'Completed plan items ({n})',
    showCompleted: 'Show {n} completed',
    hideCompleted: 'Hide completed',
    started: 'Started (draft)',
  },
  remarkTime: {
    writtenAt: 'Written {at}',
  },
  pinKeypad: {
    letters: 'Full keyboard',
    digits: 'Number pad',
  },
}
