// The words of the what-if page (排班模拟), of the one dictionary but
// loaded only by that desk page, so the hall's screens need not: the same
// strict JSON and rules as hf-words.js, Chinese first; whatif.js merges them
// into HF_WORDS. pagetest.LoadWords checks them with the rest.
'use strict';
var HF_WORDS_WHATIF = {
"zh": {
  "page.whatif": "排班模拟 · hallfloor",
  "whatif.title": "排班模拟",
  "whatif.back": "返回监控",
  "whatif.lead": "选择日型，按小时填写每类业务开放的窗口数，运行模拟查看等候、加班和空闲。",
  "whatif.profile": "日型",
  "whatif.profile.normal": "平常日",
  "whatif.profile.quiet": "清闲日",
  "whatif.profile.monday-peak": "周一高峰",
  "whatif.seed": "随机种子",
  "whatif.run": "运行模拟",
  "whatif.smallest": "求最少排班",
  "whatif.running": "正在模拟…",
  "whatif.done": "模拟完成（共模拟 {0} 天）",
  "whatif.unmet": "仍超出目标（无窗口可加或模拟次数已满）：{0}",
  "whatif.hour": "时段",
  "whatif.max": "最多 {0} 个窗口",
  "whatif.within": "目标内叫号占比",
  "whatif.overtime": "加班（分钟）",
  "whatif.idle": "窗口空闲（分钟）",
  "whatif.tickets": "取号数",
  "whatif.chart": "各小时 90% 等候（分钟）与目标",
  "whatif.chart.time": "空闲与加班（分钟）",
  "whatif.target": "目标 {0} 分钟",
  "whatif.arrivals": "到达人数",
  "whatif.waits": "{0} 平均 / 90% 等候"
},
"en": {
  "page.whatif": "Roster what-if · hallfloor",
  "whatif.title": "Roster what-if",
  "whatif.back": "Back to the monitor",
  "whatif.lead": "Pick a day profile, fill in the windows open for each service each hour, and run the simulation to see the waits, overtime and idle time.",
  "whatif.profile": "Day profile",
  "whatif.profile.normal": "Normal day",
  "whatif.profile.quiet": "Quiet day",
  "whatif.profile.monday-peak": "Monday peak",
  "whatif.seed": "Seed",
  "whatif.run": "Run",
  "whatif.smallest": "Find the smallest roster",
  "whatif.running": "Simulating…",
  "whatif.done": "Done ({0} days simulated)",
  "whatif.unmet": "Still over the target (no window left to add, or no simulations left): {0}",
  "whatif.hour": "Hour",
  "whatif.max": "At most {0} windows",
  "whatif.within": "Called within the target",
  "whatif.overtime": "Overtime (minutes)",
  "whatif.idle": "Windows idle (minutes)",
  "whatif.tickets": "Numbers issued",
  "whatif.chart": "Each hour's p90 wait (minutes) against the target",
  "whatif.chart.time": "Idle and overtime (minutes)",
  "whatif.target": "Target {0} min",
  "whatif.arrivals": "Arrivals",
  "whatif.waits": "{0} mean / p90 wait"
}
};
