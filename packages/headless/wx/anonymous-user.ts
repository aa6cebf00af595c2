// What wx.getUserProfile answers since base library 2.27.1 (platform doc §4): the anonymous
// '微信用户' with the grey default avatar and is_demote. The server half of the simulator keeps the
// same constant (server/src/wechat/sim/sim.ts); a server test checks that the two agree.
export const ANONYMOUS_USER_INFO = {
  nickName: '微信用户',
  gender: 0,
  language: '',
  city: '',
  province: '',
  country: '',
  avatarUrl:
    'https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132',
  is_demote: true,
} as const
