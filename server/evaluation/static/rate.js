// The anonymous rating page (/e/<ticket>): no framework, works when the phone's signal comes and
// goes. An answer is saved in localStorage first, then sent; it is retried on `online`, on a timer
// and on the next visit, and removed once the server has it (or refused it for good).
(function () {
  'use strict'
  var PENDING = 'fangtan.eval.pending' // { ticket: answer }
  var DONE = 'fangtan.eval.done' // [ticket]
  var RETRY_MS = 15000
  var FIELDS = ['attitude', 'professionalism', 'responsiveness']
  var ticket = decodeURIComponent(location.pathname.split('/').pop() || '')
  var form = document.getElementById('rate')
  var statusEl = document.getElementById('status')
  var button = document.getElementById('submit')
  var comment = document.getElementById('comment')
  var sending = false

  // The interview's date and place ride in the link's fragment (#d=…&p=…), which the browser never
  // sends: the server keeps no link from a ticket to an interview (docs/evaluation.md).
  ;(function () {
    var when = document.getElementById('when')
    var params = {}
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=')
      if (i > 0) {
        try { params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)) } catch (e) { /* a damaged link */ }
      }
    })
    var parts = []
    if (params.d) parts.push('访谈日期：' + params.d)
    if (params.p) parts.push('地点：' + params.p)
    if (when) when.textContent = parts.join('　')
  })()

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback } catch (e) { return fallback }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)) } catch (e) { /* private mode: keep in memory */ }
  }
  function show(text, cls) {
    statusEl.textContent = text
    statusEl.className = cls || ''
  }
  function finished(t) {
    var done = load(DONE, [])
    if (done.indexOf(t) < 0) done.push(t)
    save(DONE, done.slice(-50))
    var pending = load(PENDING, {})
    delete pending[t]
    save(PENDING, pending)
  }
  function lockForm() {
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true })
  }

  FIELDS.forEach(function (name) {
    var box = form.querySelector('[data-field="' + name + '"] .stars')
    for (var v = 1; v <= 5; v++) {
      var label = document.createElement('label')
      label.innerHTML = '<input type="radio" name="' + name + '" value="' + v + '"><span>' + v + '</span>'
      box.appendChild(label)
    }
  })
  document.getElementById('ticket').textContent = ticket.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/(.{4})(?=.)/g, '$1-')
  comment.addEventListener('input', function () {
    document.getElementById('count').textContent = String(comment.value.length)
  })

  // Send every saved answer (this ticket's and any left from an earlier visit).
  function flush() {
    var pending = load(PENDING, {})
    var tickets = Object.keys(pending)
    if (!tickets.length || sending) return
    if (navigator.onLine === false) {
      if (pending[ticket]) show('等待网络：已保存在本机，有信号时自动提交', 'wait')
      return
    }
    sending = true
    var t = tickets[0]
    fetch('/api/evaluation/responses', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.assign({ ticket: t }, pending[t])),
      cache: 'no-store',
      credentials: 'omit',
    }).then(function (res) {
      return res.json().catch(function () { return {} }).then(function (body) {
        sending = false
        var err = body && body.error
        if (res.ok) {
          finished(t)
          if (t === ticket) show('已提交，感谢您的评价！', 'ok')
        } else if (err && err.code === 'evaluation.ticket_used' && pending[t].tried) {
          // An earlier attempt reached the server but its answer was lost on the way back.
          finished(t)
          if (t === ticket) show('已提交，感谢您的评价！', 'ok')
        } else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          var p = load(PENDING, {})
          delete p[t]
          save(PENDING, p)
          if (t === ticket) {
            show((err && err.message) || '提交失败', 'err')
            if (err && err.code !== 'evaluation.ticket_used' && err.code !== 'evaluation.ticket_unknown') unlock()
          }
          return
        } else {
          if (t === ticket) show('等待网络：已保存在本机，有信号时自动提交', 'wait')
          return
        }
        flush()
      })
    }).catch(function () {
      sending = false
      var p = load(PENDING, {})
      if (p[t]) { p[t].tried = true; save(PENDING, p) }
      if (t === ticket) show('等待网络：已保存在本机，有信号时自动提交', 'wait')
    })
  }
  function unlock() {
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false })
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault()
    var answer = {}
    for (var i = 0; i < FIELDS.length; i++) {
      var checked = form.querySelector('input[name="' + FIELDS[i] + '"]:checked')
      if (!checked) {
        show('请为「' + form.querySelector('[data-field="' + FIELDS[i] + '"] legend').textContent + '」打分', 'err')
        return
      }
      answer[FIELDS[i]] = Number(checked.value)
    }
    var text = comment.value.trim()
    if (text.length > 500) { show('意见建议最多 500 字', 'err'); return }
    if (text) answer.comment = text
    var pending = load(PENDING, {})
    pending[ticket] = answer
    save(PENDING, pending)
    lockForm()
    show('正在提交…', 'wait')
    flush()
  })

  if (load(DONE, []).indexOf(ticket) >= 0) {
    lockForm()
    show('已提交，感谢您的评价！', 'ok')
  } else if (load(PENDING, {})[ticket]) {
    lockForm()
    show('等待网络：已保存在本机，有信号时自动提交', 'wait')
  }
  window.addEventListener('online', flush)
  setInterval(flush, RETRY_MS)
  flush()
})()
