// hallfloor's shared page code: language, the API, the live connection and
// the voice. Written for the plain browsers hall screens run (no build step,
// no framework, ES2017 so older Android WebViews cope).
'use strict';

var HF = (function () {
  var HF = {};

  // ---- language ----------------------------------------------------------

  var DICT = {
    zh: {
      'lang.switch': 'English', 'lang.switch.aria': 'Switch to English',
      'conn.online': '已连接', 'conn.offline': '连接中断，正在重新连接…', 'conn.connecting': '正在连接…',
      'state.closed': '未开放', 'state.idle': '空闲', 'state.serving': '办理中', 'state.paused': '暂停服务',
      'status.waiting': '等候中', 'status.called': '已叫号', 'status.done': '已办结',
      'status.no_show': '已过号', 'status.cancelled': '已取消',
      'kind.intake': '收件', 'kind.pickup': '取件', 'kind.consult': '咨询',
      'unit.people': '人', 'unit.window': '号窗口', 'unit.windowpre': '', 'window.n': '{0} 号窗口',
      'wait.about': '约 {0} 分钟', 'wait.none': '无需等候', 'wait.under': '不到 1 分钟',
      'waiting.n': '等候 {0} 人', 'ahead.n': '前面还有 {0} 人',
      'hall.calling': '正在呼叫', 'hall.recent': '最近叫号', 'hall.waiting': '各业务等候人数',
      'hall.windows': '窗口状态', 'hall.nocall': '暂无叫号', 'hall.voice': '语音播报',
      'hall.voice.on': '语音：开', 'hall.voice.off': '语音：关',
      'col.number': '号码', 'col.window': '窗口', 'col.service': '业务', 'col.waiting': '等候',
      'col.longest': '最长等候', 'col.estimate': '预计等候', 'col.served': '已办', 'col.avg': '平均用时',
      'col.state': '状态', 'col.clerk': '工作人员', 'col.current': '当前号码', 'col.time': '本次用时',
      'col.waited': '已等', 'col.ahead': '前面等候', 'col.issued': '取号',
      'win.serving': '正在办理', 'win.clerk': '工作人员', 'win.staffno': '工号',
      'kiosk.title': '自助取号', 'kiosk.pick': '请选择办理的业务', 'kiosk.idnumber': '身份证号（选填）',
      'kiosk.phone': '手机号（选填，叫号前短信提醒）', 'kiosk.priority': '优先办理（老、弱、病、残、孕）',
      'kiosk.guide': '导办员模式', 'kiosk.your': '您的号码', 'kiosk.scan': '扫码查看排队进度',
      'kiosk.print': '打印凭条', 'kiosk.done': '完成', 'kiosk.issuing': '正在取号…',
      'kiosk.autoclose': '{0} 秒后返回', 'kiosk.slipnote': '请留意大厅屏幕和语音叫号，过号请到窗口咨询。',
      'kiosk.optional': '更多选项', 'kiosk.prio.tag': '优先',
      'counter.title': '虚拟呼叫器', 'counter.signin': '窗口签到', 'counter.staff': '工号', 'counter.password': '密码',
      'counter.signon': '签到上岗', 'counter.signoff': '签退', 'counter.call': '呼叫下一位', 'counter.recall': '重呼',
      'counter.skip': '过号', 'counter.finish': '办结', 'counter.transfer': '转移', 'counter.pause': '暂停',
      'counter.resume': '恢复服务', 'counter.queue': '本窗口等候队列', 'counter.today': '今日办理',
      'counter.avg': '平均用时', 'counter.elapsed': '本次用时', 'counter.none': '当前无办理号码',
      'counter.empty': '暂无等候', 'counter.keys': '快捷键', 'counter.reason': '暂停原因',
      'counter.reason.lunch': '午间休息', 'counter.reason.away': '临时离开', 'counter.reason.fault': '系统故障',
      'counter.reason.meeting': '业务学习', 'counter.reason.other': '其他原因', 'counter.ok': '确定', 'counter.cancel': '取消',
      'counter.to.service': '转到业务', 'counter.to.window': '或转到窗口', 'counter.any': '（不指定）',
      'counter.signedas': '{0}（工号 {1}）', 'counter.paused': '窗口已暂停：{0}',
      'ticket.title': '我的排队号', 'ticket.called': '请到 {0} 号窗口', 'ticket.go': '轮到您了！',
      'ticket.cancel': '取消排队', 'ticket.cancel.confirm': '确定取消这个号码吗？', 'ticket.notfound': '没有找到这个号码（号码仅当天有效）',
      'ticket.issued': '取号时间', 'ticket.live': '页面自动更新，无需刷新',
      'dash.title': '大厅运行监控', 'dash.waiting': '当前等候', 'dash.issued': '今日取号', 'dash.served': '今日办结',
      'dash.open': '开放窗口', 'dash.longest': '最长等候', 'dash.services': '业务排队', 'dash.windows': '窗口运行',
      'dash.chart': '每小时取号与叫号', 'dash.alerts': '预警', 'dash.noalerts': '运行正常，无预警',
      'dash.target': '等候目标（分钟）', 'dash.alert.wait': '{0} 最长等候 {1}，超过目标 {2} 分钟',
      'dash.alert.idle': '{0} 号窗口空闲 {1}，仍有 {2} 人等候其业务', 'dash.alert.paused': '{0} 号窗口暂停：{1}',
      'dash.legend.issued': '取号', 'dash.legend.called': '叫号',
      'home.title': '大厅服务入口', 'home.sub': '选择要打开的终端', 'home.windows': '窗口',
      'home.kiosk': '取号机', 'home.kiosk.d': '群众按业务取号，可打印凭条、扫码跟踪进度',
      'home.guide': '导办取号', 'home.guide.d': '导办员为老弱病残孕群众优先取号',
      'home.hall': '综合屏', 'home.hall.d': '大厅大屏：叫号、语音播报、等候人数、窗口状态',
      'home.window': '窗口屏', 'home.window.d': '窗口上方小屏：窗口号、正在办理号码、工作人员',
      'home.counter': '虚拟呼叫器', 'home.counter.d': '窗口工作人员签到、叫号、重呼、过号、转移、暂停',
      'home.ticket': '排队进度', 'home.ticket.d': '群众扫描凭条二维码，在手机上查看排队进度',
      'home.dashboard': '运行监控', 'home.dashboard.d': '管理员查看大厅负载、等候时长、窗口状态与预警',
      'err.generic': '操作没有成功：{0}', 'err.network': '网络不通，请稍后再试',
      'err.id_number': '身份证号不正确，请核对', 'err.id_dup': '该身份证号已有等候中的号码', 'err.phone': '手机号应为以 1 开头的 11 位数字',
      'err.login': '工号或密码不正确',
      'state.overtime': '延时服务中',
      'eval.title': '服务评价', 'eval.welcome': '欢迎评价', 'eval.welcome.sub': '办理结束后，请在这里对本次服务进行评价',
      'eval.ask': '请对本次服务进行评价', 'eval.number': '{0} 号', 'eval.countdown': '{0} 秒后自动关闭',
      'eval.decline': '不评价', 'eval.reason': '请告诉我们不满意的原因', 'eval.reason.other': '其他原因（可直接输入）',
      'eval.submit': '提交评价', 'eval.back': '返回', 'eval.need.reason': '请选择或填写一个原因',
      'eval.thanks': '感谢您的评价！', 'eval.thanks.bad': '您的意见已记录，我们会尽快回访并改进。',
      'eval.ot.title': '延时服务确认', 'eval.ot.text': '{0} 号于 {1}–{2} 延时办理，请确认', 'eval.ot.confirm': '确认',
      'eval.ot.done': '已确认延时服务，谢谢！',
      'counter.ot.confirm': '延时服务确认', 'counter.ot.done': '已确认延时服务 {0}',
      'ticket.rate': '请对本次服务进行评价', 'ticket.rated': '您的评价：{0}',
      'dash.signin': '管理员登录', 'dash.signin.note': '好差评、回访、延时服务和报表需要管理员登录',
      'dash.signout': '退出登录', 'dash.signedas': '管理员 {0}', 'err.manager': '该账号不是大厅管理员',
      'dash.ratings': '今日好差评', 'dash.rated': '已评价', 'dash.notrated': '未评价', 'dash.satisfaction': '满意率', 'dash.bad': '差评',
      'dash.followups': '差评回访整改', 'dash.nofollowups': '没有待处理的差评', 'dash.fu.deadline': '期限', 'dash.fu.late': '已超期',
      'dash.fu.record': '登记处理', 'dash.fu.action': '处理方式', 'dash.fu.outcome': '处理结果', 'dash.fu.level': '评价',
      'dash.fu.reason': '原因', 'fu.callback': '回访', 'fu.rectify': '整改', 'fu.explain': '说明',
      'dash.alert.fu': '差评回访 {0}（{1} 号窗口，{2}）已超过期限 {3}',
      'dash.overtime': '延时服务', 'dash.ot.now': '正在延时服务：{0}', 'dash.ot.none': '当前没有窗口延时服务',
      'dash.ot.register': '今日延时服务登记表', 'dash.ot.empty': '今日暂无延时服务', 'col.record': '编号', 'col.start': '开始', 'col.end': '结束',
      'dash.ot.clerk': '人员确认', 'dash.ot.applicant': '群众确认', 'dash.download': '下载',
      'dash.reports': '统计报表', 'dash.daily': '日报', 'dash.monthly': '月报', 'dash.rep.tickets': '各业务取号、办结与过号',
      'dash.rep.waits': '等候时长（分钟）：平均 / P90 / 最长', 'dash.rep.service': '平均办理用时（分钟）', 'dash.rep.ot': '各窗口延时服务（分钟）',
      'dash.rep.ratings': '评价分布', 'dash.rep.days': '每日取号与办结', 'dash.rep.none': '这一期间没有数据',
      's.issued': '取号', 's.served': '办结', 's.no_shows': '过号', 's.avg': '平均', 's.ninety': 'P90', 's.max': '最长', 's.minutes': '分钟',
      'dash.devices': '设备状态', 'dash.dev.none': '本大厅没有登记设备', 'dash.dev.ok': '{0} 台设备全部正常', 'dash.dev.page': '打开设备页面',
      'dash.alert.dev': '设备 {0}：{1} {2}', 'dash.dev.last': '最近动作', 'dev.ok': '正常', 'dev.alarm': '报警', 'dev.alert': '提醒', 'dev.fault': '故障',
      'dash.outbox': '短信发件箱', 'dash.outbox.none': '暂无短信', 'dash.outbox.demo': '演示大厅：显示短信内容（实际大厅不显示）',
      'outbox.pending': '待发送', 'outbox.sent': '已发送', 'outbox.gave_up': '发送失败',
      'col.at': '时间', 'col.to': '手机号', 'col.sms': '短信内容', 'col.device': '设备',
      'home.evaluate': '评价器', 'home.evaluate.d': '窗口好差评评价器：办结后群众五级评价、延时服务确认',
    },
    en: {
      'lang.switch': '中文', 'lang.switch.aria': '切换到中文',
      'conn.online': 'Connected', 'conn.offline': 'Connection lost, reconnecting…', 'conn.connecting': 'Connecting…',
      'state.closed': 'Closed', 'state.idle': 'Available', 'state.serving': 'Serving', 'state.paused': 'Paused',
      'status.waiting': 'Waiting', 'status.called': 'Called', 'status.done': 'Done',
      'status.no_show': 'Missed', 'status.cancelled': 'Cancelled',
      'kind.intake': 'Intake', 'kind.pickup': 'Pickup', 'kind.consult': 'Consult',
      'unit.people': 'people', 'unit.window': '', 'unit.windowpre': 'Window ', 'window.n': 'Window {0}',
      'wait.about': 'about {0} min', 'wait.none': 'no wait', 'wait.under': 'under 1 min',
      'waiting.n': '{0} waiting', 'ahead.n': '{0} ahead of you',
      'hall.calling': 'Now calling', 'hall.recent': 'Recent calls', 'hall.waiting': 'Waiting by service',
      'hall.windows': 'Windows', 'hall.nocall': 'No calls yet', 'hall.voice': 'Voice',
      'hall.voice.on': 'Voice: on', 'hall.voice.off': 'Voice: off',
      'col.number': 'Number', 'col.window': 'Window', 'col.service': 'Service', 'col.waiting': 'Waiting',
      'col.longest': 'Longest wait', 'col.estimate': 'Est. wait', 'col.served': 'Served', 'col.avg': 'Avg. time',
      'col.state': 'State', 'col.clerk': 'Clerk', 'col.current': 'Current', 'col.time': 'This service',
      'col.waited': 'Waited', 'col.ahead': 'Ahead of you', 'col.issued': 'Issued',
      'win.serving': 'Now serving', 'win.clerk': 'Clerk', 'win.staffno': 'Staff no.',
      'kiosk.title': 'Take a number', 'kiosk.pick': 'Choose your service', 'kiosk.idnumber': 'ID number (optional)',
      'kiosk.phone': 'Mobile (optional, SMS before your turn)', 'kiosk.priority': 'Priority (elderly, sick, disabled, pregnant)',
      'kiosk.guide': 'Guide mode', 'kiosk.your': 'Your number', 'kiosk.scan': 'Scan to follow your place in line',
      'kiosk.print': 'Print slip', 'kiosk.done': 'Done', 'kiosk.issuing': 'Issuing…',
      'kiosk.autoclose': 'Back in {0} s', 'kiosk.slipnote': 'Watch the hall screen and listen for your number.',
      'kiosk.optional': 'More options', 'kiosk.prio.tag': 'Priority',
      'counter.title': 'Counter terminal', 'counter.signin': 'Sign on at the window', 'counter.staff': 'Staff no.', 'counter.password': 'Password',
      'counter.signon': 'Sign on', 'counter.signoff': 'Sign off', 'counter.call': 'Call next', 'counter.recall': 'Recall',
      'counter.skip': 'Skip', 'counter.finish': 'Finish', 'counter.transfer': 'Transfer', 'counter.pause': 'Pause',
      'counter.resume': 'Resume', 'counter.queue': 'Waiting for this window', 'counter.today': 'Served today',
      'counter.avg': 'Average', 'counter.elapsed': 'This service', 'counter.none': 'Nobody at the window',
      'counter.empty': 'Nobody waiting', 'counter.keys': 'Shortcuts', 'counter.reason': 'Reason for the pause',
      'counter.reason.lunch': 'Lunch break', 'counter.reason.away': 'Away briefly', 'counter.reason.fault': 'System fault',
      'counter.reason.meeting': 'Training', 'counter.reason.other': 'Other', 'counter.ok': 'OK', 'counter.cancel': 'Cancel',
      'counter.to.service': 'To service', 'counter.to.window': 'or to window', 'counter.any': '(none)',
      'counter.signedas': '{0} (staff {1})', 'counter.paused': 'Window paused: {0}',
      'ticket.title': 'My number', 'ticket.called': 'Go to window {0}', 'ticket.go': 'It is your turn!',
      'ticket.cancel': 'Leave the line', 'ticket.cancel.confirm': 'Give up this number?', 'ticket.notfound': 'No such number today (numbers are valid for one day)',
      'ticket.issued': 'Issued at', 'ticket.live': 'This page updates by itself',
      'dash.title': 'Hall monitor', 'dash.waiting': 'Waiting now', 'dash.issued': 'Issued today', 'dash.served': 'Served today',
      'dash.open': 'Open windows', 'dash.longest': 'Longest wait', 'dash.services': 'Services', 'dash.windows': 'Windows',
      'dash.chart': 'Numbers issued and called per hour', 'dash.alerts': 'Alerts', 'dash.noalerts': 'All normal, no alerts',
      'dash.target': 'Wait target (min)', 'dash.alert.wait': '{0}: longest wait {1}, over the {2} min target',
      'dash.alert.idle': 'Window {0} idle for {1} while {2} wait for its services', 'dash.alert.paused': 'Window {0} paused: {1}',
      'dash.legend.issued': 'Issued', 'dash.legend.called': 'Called',
      'home.title': 'Hall terminals', 'home.sub': 'Choose the screen to open', 'home.windows': 'Windows',
      'home.kiosk': 'Kiosk', 'home.kiosk.d': 'Citizens take a number by service, print a slip, follow it by QR code',
      'home.guide': 'Guide kiosk', 'home.guide.d': 'Guides take priority numbers for elderly, disabled or pregnant people',
      'home.hall': 'Hall screen', 'home.hall.d': 'Main screen: calls, voice, waiting per service, window states',
      'home.window': 'Window screen', 'home.window.d': 'Small screen over a window: number being served, clerk',
      'home.counter': 'Counter terminal', 'home.counter.d': 'Clerks sign on, call, recall, skip, transfer, pause',
      'home.ticket': 'Ticket page', 'home.ticket.d': 'Citizens scan the slip and follow their place on the phone',
      'home.dashboard': 'Dashboard', 'home.dashboard.d': 'Managers watch load, waits, windows and alerts',
      'err.generic': 'That did not work: {0}', 'err.network': 'The network is down; please try again',
      'err.id_number': 'The ID number is not valid', 'err.id_dup': 'This ID number already holds a waiting number', 'err.phone': 'A mobile number has 11 digits and starts with 1',
      'err.login': 'Wrong staff number or password',
      'state.overtime': 'Extended hours',
      'eval.title': 'Rate our service', 'eval.welcome': 'Your opinion counts', 'eval.welcome.sub': 'When your service is done, please rate it here',
      'eval.ask': 'How was your service?', 'eval.number': 'Number {0}', 'eval.countdown': 'Closes in {0} s',
      'eval.decline': 'No rating', 'eval.reason': 'Please tell us what went wrong', 'eval.reason.other': 'Other reason (type it)',
      'eval.submit': 'Send rating', 'eval.back': 'Back', 'eval.need.reason': 'Choose or type a reason',
      'eval.thanks': 'Thank you for your rating!', 'eval.thanks.bad': 'Your feedback is recorded; we will follow it up.',
      'eval.ot.title': 'Confirm extended-hours service', 'eval.ot.text': 'Number {0} was served after hours, {1}–{2}; please confirm', 'eval.ot.confirm': 'Confirm',
      'eval.ot.done': 'Extended-hours service confirmed, thank you!',
      'counter.ot.confirm': 'Confirm overtime service', 'counter.ot.done': 'Overtime service {0} confirmed',
      'ticket.rate': 'How was your service?', 'ticket.rated': 'Your rating: {0}',
      'dash.signin': 'Manager sign-in', 'dash.signin.note': 'Ratings, follow-ups, overtime and reports need a manager sign-in',
      'dash.signout': 'Sign out', 'dash.signedas': 'Manager {0}', 'err.manager': 'This account is not a hall manager',
      'dash.ratings': 'Ratings today', 'dash.rated': 'Rated', 'dash.notrated': 'Not rated', 'dash.satisfaction': 'Satisfaction', 'dash.bad': 'Poor',
      'dash.followups': 'Follow-ups of poor ratings', 'dash.nofollowups': 'No poor rating waits for follow-up', 'dash.fu.deadline': 'Due', 'dash.fu.late': 'Overdue',
      'dash.fu.record': 'Record outcome', 'dash.fu.action': 'Action', 'dash.fu.outcome': 'Outcome', 'dash.fu.level': 'Rating',
      'dash.fu.reason': 'Reason', 'fu.callback': 'Call back', 'fu.rectify': 'Rectify', 'fu.explain': 'Explain',
      'dash.alert.fu': 'Follow-up {0} (window {1}, {2}) is past its deadline {3}',
      'dash.overtime': 'Extended-hours service', 'dash.ot.now': 'In overtime now: {0}', 'dash.ot.none': 'No window is in overtime',
      'dash.ot.register': "Today's overtime register", 'dash.ot.empty': 'No overtime service today', 'col.record': 'Record', 'col.start': 'Start', 'col.end': 'End',
      'dash.ot.clerk': 'Clerk confirmed', 'dash.ot.applicant': 'Applicant confirmed', 'dash.download': 'Download',
      'dash.reports': 'Reports', 'dash.daily': 'Daily', 'dash.monthly': 'Monthly', 'dash.rep.tickets': 'Issued, served and missed per service',
      'dash.rep.waits': 'Waits (min): average / P90 / longest', 'dash.rep.service': 'Average service time (min)', 'dash.rep.ot': 'Overtime per window (min)',
      'dash.rep.ratings': 'Ratings by level', 'dash.rep.days': 'Issued and served per day', 'dash.rep.none': 'No data for this period',
      's.issued': 'Issued', 's.served': 'Served', 's.no_shows': 'Missed', 's.avg': 'Average', 's.ninety': 'P90', 's.max': 'Longest', 's.minutes': 'min',
      'dash.devices': 'Devices', 'dash.dev.none': 'This hall has no devices', 'dash.dev.ok': 'All {0} devices normal', 'dash.dev.page': 'Open the device page',
      'dash.alert.dev': 'Device {0}: {1} {2}', 'dash.dev.last': 'Last activity', 'dev.ok': 'OK', 'dev.alarm': 'Alarm', 'dev.alert': 'Alert', 'dev.fault': 'Fault',
      'dash.outbox': 'SMS outbox', 'dash.outbox.none': 'No messages', 'dash.outbox.demo': 'Demo hall: message texts shown (never in a real hall)',
      'outbox.pending': 'Pending', 'outbox.sent': 'Sent', 'outbox.gave_up': 'Failed',
      'col.at': 'Time', 'col.to': 'To', 'col.sms': 'Message', 'col.device': 'Device',
      'home.evaluate': 'Evaluator', 'home.evaluate.d': 'Rating pad at a window: five-level rating after a service, overtime confirmation',
    },
  };

  function pickLang() {
    var q = new URLSearchParams(location.search).get('lang');
    if (q === 'en' || q === 'zh') return q;
    try { var s = localStorage.getItem('hf.lang'); if (s === 'en' || s === 'zh') return s; } catch (e) { /* private mode */ }
    return 'zh';
  }
  HF.lang = pickLang();
  var langListeners = [];

  HF.t = function (key) {
    var s = DICT[HF.lang][key];
    if (s === undefined) s = DICT.zh[key] !== undefined ? DICT.zh[key] : key;
    for (var i = 1; i < arguments.length; i++) s = s.split('{' + (i - 1) + '}').join(String(arguments[i]));
    return s;
  };

  HF.applyI18n = function (root) {
    root = root || document;
    document.documentElement.lang = HF.lang === 'en' ? 'en' : 'zh-CN';
    root.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = HF.t(el.getAttribute('data-i18n')); });
    root.querySelectorAll('[data-i18n-ph]').forEach(function (el) { el.setAttribute('placeholder', HF.t(el.getAttribute('data-i18n-ph'))); });
    root.querySelectorAll('[data-i18n-aria]').forEach(function (el) { el.setAttribute('aria-label', HF.t(el.getAttribute('data-i18n-aria'))); });
    root.querySelectorAll('[data-lang-toggle]').forEach(function (el) {
      el.textContent = HF.t('lang.switch');
      el.setAttribute('aria-label', HF.t('lang.switch.aria'));
    });
  };

  HF.onLang = function (fn) { langListeners.push(fn); };

  HF.setLang = function (lang) {
    HF.lang = lang;
    try { localStorage.setItem('hf.lang', lang); } catch (e) { /* private mode */ }
    HF.applyI18n();
    langListeners.forEach(function (fn) { fn(); });
  };

  // name picks the name in the page's language, falling back to Chinese.
  HF.name = function (o) {
    if (!o) return '';
    return HF.lang === 'en' && o.name_en ? o.name_en : o.name;
  };

  // ---- formatting ----------------------------------------------------------

  HF.fmtWait = function (s) {
    if (!s || s <= 0) return HF.t('wait.none');
    if (s < 60) return HF.t('wait.under');
    return HF.t('wait.about', Math.round(s / 60));
  };

  // fmtDur shows a length of time as m:ss, or h:mm:ss past an hour.
  HF.fmtDur = function (s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h && m < 10 ? '0' : '') + m, ss = (sec < 10 ? '0' : '') + sec;
    return (h ? h + ':' : '') + mm + ':' + ss;
  };

  HF.fmtTime = function (iso) {
    var d = new Date(iso);
    if (isNaN(d)) return '';
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(d.getHours()) + ':' + p(d.getMinutes());
  };

  // serverNow is the server's clock as best known, so ages ("waited 12
  // min") do not depend on a screen box whose clock has drifted.
  var skew = 0;
  HF.serverNow = function () { return Date.now() + skew; };
  function learnSkew(res) {
    var d = Date.parse(res.headers.get('Date') || '');
    if (!isNaN(d)) skew = d - Date.now();
  }

  HF.since = function (iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? 0 : Math.max(0, (HF.serverNow() - t) / 1000);
  };

  HF.el = function (tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  };

  HF.clear = function (e) { while (e.firstChild) e.removeChild(e.firstChild); return e; };

  HF.startClock = function (el) {
    if (!el) return;
    var tick = function () {
      var d = new Date(HF.serverNow());
      var p = function (n) { return (n < 10 ? '0' : '') + n; };
      el.textContent = p(d.getHours()) + ':' + p(d.getMinutes());
      el.setAttribute('datetime', d.toISOString());
    };
    tick();
    setInterval(tick, 5000);
  };

  // debounce runs fn once after a burst of calls has settled.
  HF.debounce = function (fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  };

  // ---- API -------------------------------------------------------------------

  // api calls the JSON API; an error answer is thrown as an Error carrying
  // the server's code, field and status.
  HF.api = async function (method, path, body, opts) {
    opts = opts || {};
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.token) headers['Authorization'] = 'Bearer ' + opts.token;
    if (opts.key) headers['Idempotency-Key'] = opts.key;
    var res;
    try {
      res = await fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      var ne = new Error(HF.t('err.network'));
      ne.code = 'network';
      throw ne;
    }
    learnSkew(res);
    var data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) {
      var er = (data && data.error) || {};
      var err = new Error(er.message || res.statusText);
      err.code = er.code || 'internal';
      err.field = er.field || '';
      err.status = res.status;
      throw err;
    }
    return data;
  };

  HF.key = function () {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  };

  // names: the hall's names in both languages, loaded once per page.
  HF.names = { hall: {}, services: {}, windows: {}, windowList: [] };
  HF.loadNames = async function () {
    var n = await HF.api('GET', '/api/v1/hall/names');
    HF.names.hall = n.hall;
    HF.names.windowList = n.windows;
    HF.names.pauseReasons = n.pause_reasons || [];
    n.services.forEach(function (s) { HF.names.services[s.id] = s; });
    n.windows.forEach(function (w) { HF.names.windows[w.id] = w; });
    return HF.names;
  };
  HF.serviceName = function (code) { return HF.name(HF.names.services[code]) || code; };
  HF.windowName = function (id) { return HF.name(HF.names.windows[id]) || ''; };

  // ---- 好差评 ---------------------------------------------------------------

  // levelButtons lays out the five levels, best first, as the server names
  // them, so the evaluator and the ticket page offer the same choice.
  // The buttons are built once per set of levels and language: a redraw on
  // every event in the hall would replace a button under a finger mid-tap.
  HF.levelButtons = function (box, levels, pick) {
    box._pick = pick;
    var sig = HF.lang + JSON.stringify(levels || []);
    if (box.dataset.built === sig && box.childElementCount) return;
    box.dataset.built = sig;
    HF.clear(box);
    (levels || []).forEach(function (l) {
      box.appendChild(HF.el('button', { type: 'button', class: 'lvl lvl-' + l.level, 'data-level': l.level, onclick: function () { box._pick(l.level); } }, [
        HF.el('b', { text: String(l.level) }), HF.el('span', { text: HF.name(l) }),
      ]));
    });
  };

  // reasonPicker offers the hall's reasons for a 差评 as toggles beside a
  // free-text field; value() is what was chosen and typed.
  HF.reasonPicker = function (box, input, reasons) {
    var chosen = '';
    HF.clear(box);
    (reasons || []).forEach(function (r) {
      box.appendChild(HF.el('button', { type: 'button', class: 'btn reason', 'aria-pressed': 'false', text: r, onclick: function () {
        chosen = chosen === r ? '' : r;
        box.querySelectorAll('button').forEach(function (x) { x.setAttribute('aria-pressed', String(x.textContent === chosen)); });
      } }));
    });
    input.value = '';
    return { value: function () { var typed = input.value.trim(); return chosen && typed ? chosen + '；' + typed : chosen || typed; } };
  };

  // ---- live connection -----------------------------------------------------

  // Live keeps one WebSocket to the hall. It remembers the last sequence
  // number it applied and, after any drop, reconnects with back-off and asks
  // to resume after it (/ws?since=N); the server answers with what was
  // missed or a fresh snapshot. A frame at or below the last number is a
  // repeat and is ignored; a gap means something was lost, so it resumes.
  // Test hooks read window.__hf.
  function Live(handlers) {
    this.h = handlers;
    this.seq = null;
    this.ws = null;
    this.tries = 0;
    this.state = 'connecting';
    this.stats = { snapshots: 0, events: 0, connects: 0, urls: [] };
    window.__hf = window.__hf || {};
    window.__hf.live = this;
    var self = this;
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden && self.state === 'offline') self.connectNow();
    });
    window.addEventListener('online', function () { self.connectNow(); });
    // A dropped network does not always close a socket; a failed health
    // check does, so the screen notices within seconds.
    setInterval(function () { self.check(); }, 15000);
    this.connect();
  }

  Live.prototype.setState = function (s) {
    this.state = s;
    document.body.classList.toggle('offline', s === 'offline');
    document.body.classList.toggle('online', s === 'online');
    document.querySelectorAll('[data-conn]').forEach(function (el) {
      el.textContent = HF.t('conn.' + s);
      el.setAttribute('data-state', s);
    });
    if (this.h.state) this.h.state(s);
  };

  Live.prototype.connect = function () {
    var self = this;
    clearTimeout(this.timer);
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    if (this.seq !== null) url += '?since=' + this.seq;
    this.stats.urls.push(url);
    this.stats.connects++;
    var ws;
    try { ws = new WebSocket(url); } catch (e) { this.retry(); return; }
    this.ws = ws;
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      self.receive(m);
    };
    ws.onclose = function () {
      if (self.ws !== ws) return;
      self.ws = null;
      self.setState('offline');
      self.retry();
    };
    ws.onerror = function () { try { ws.close(); } catch (e) { /* closing */ } };
  };

  Live.prototype.receive = function (m) {
    if (m.type === 'snapshot') {
      this.tries = 0;
      this.seq = m.seq;
      this.stats.snapshots++;
      this.setState('online');
      if (this.h.snapshot) this.h.snapshot(m.hall, true);
      return;
    }
    if (typeof m.seq !== 'number') return;
    if (this.seq !== null && m.seq <= this.seq) return;
    if (this.seq !== null && m.seq > this.seq + 1) {
      // A gap: resume after the last frame applied.
      this.reconnect();
      return;
    }
    this.tries = 0;
    if (this.state !== 'online') this.setState('online');
    this.seq = m.seq;
    this.stats.events++;
    if (this.h.event) this.h.event(m);
    if (m.type === 'day.started') this.resync();
  };

  Live.prototype.retry = function () {
    var self = this;
    // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a hall of screens does
    // not reconnect in step after the server restarts.
    var base = Math.min(15000, 500 * Math.pow(2, this.tries));
    this.tries++;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.connect(); }, base / 2 + Math.random() * base / 2);
  };

  Live.prototype.connectNow = function () {
    if (this.ws) return;
    this.tries = 0;
    this.connect();
  };

  Live.prototype.reconnect = function () {
    if (this.ws) { var ws = this.ws; this.ws = null; try { ws.close(); } catch (e) { /* closing */ } }
    this.setState('offline');
    this.retry();
  };

  // resync drops what the page knows and starts again from a snapshot.
  Live.prototype.resync = function () {
    this.seq = null;
    this.reconnect();
  };

  Live.prototype.check = async function () {
    if (this.state !== 'online') return;
    var ctl = window.AbortController ? new AbortController() : null;
    var t = setTimeout(function () { if (ctl) ctl.abort(); }, 5000);
    try {
      var res = await fetch('/healthz', { cache: 'no-store', signal: ctl ? ctl.signal : undefined });
      learnSkew(res);
      if (!res.ok) throw new Error('health');
    } catch (e) {
      this.reconnect();
    } finally {
      clearTimeout(t);
    }
  };

  HF.live = function (handlers) { return new Live(handlers); };

  // ---- voice -----------------------------------------------------------------

  // Voice says calls one at a time, in order, each twice as halls do; a new
  // call waits for the one being said. When the speech engine is missing or
  // never reports the end of an utterance, a timer moves the queue on, so one
  // stuck call cannot silence the screen.
  var Voice = {
    queue: [], busy: false, enabled: true, log: [],
    say: function (text, times) {
      if (!text) return;
      for (var i = 0; i < (times || 1); i++) this.queue.push(text);
      this.next();
    },
    next: function () {
      var self = this;
      if (this.busy || !this.queue.length) return;
      var text = this.queue.shift();
      if (!this.enabled) { this.queue = []; return; }
      this.busy = true;
      this.log.push(text);
      var done = false;
      var finish = function () {
        if (done) return;
        done = true;
        clearTimeout(guard);
        // A short breath between announcements.
        setTimeout(function () { self.busy = false; self.next(); }, 600);
      };
      var guard = setTimeout(finish, 1500 + text.length * 350);
      var synth = window.speechSynthesis;
      if (!synth || !window.SpeechSynthesisUtterance) return;
      try {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = 'zh-CN';
        u.rate = 0.9;
        var voices = synth.getVoices();
        for (var i = 0; i < voices.length; i++) if (/^zh(-|_)?CN/i.test(voices[i].lang)) { u.voice = voices[i]; break; }
        u.onend = finish;
        u.onerror = finish;
        synth.speak(u);
      } catch (e) { finish(); }
    },
  };
  HF.voice = Voice;
  window.__hf = window.__hf || {};
  window.__hf.voice = Voice;

  // ---- page start --------------------------------------------------------------

  HF.start = function (fn) {
    var go = function () {
      HF.applyI18n();
      document.querySelectorAll('[data-lang-toggle]').forEach(function (b) {
        b.addEventListener('click', function () { HF.setLang(HF.lang === 'zh' ? 'en' : 'zh'); });
      });
      fn();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
    else go();
  };

  return HF;
})();
