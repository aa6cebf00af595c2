import { parseArgs, UsageError } from './args'

const base = { lang: 'en', debug: false, trustProject: false }

test('parses the command line automator.launch() builds', () => {
  expect(
    parseArgs([
      'auto',
      '--project',
      '/p',
      '--auto-port',
      '9420',
      '--auto-account',
      'o-test',
      '--trust-project',
    ]),
  ).toEqual({
    ...base,
    command: 'auto',
    projectPath: '/p',
    port: 9420,
    account: 'o-test',
    trustProject: true,
  })
  expect(parseArgs(['auto', '--project', '/p', '--auto-port', '1', '--ticket', 't'])).toEqual({
    ...base,
    command: 'auto',
    projectPath: '/p',
    port: 1,
    ticket: 't',
  })
})

test("accepts DevTools' other arguments, before or after the command, and ignores what means nothing headless", () => {
  // automator.launch({ args }) puts its args before `auto`.
  expect(
    parseArgs([
      '--lang',
      'zh',
      '--port',
      '9527',
      '--debug',
      'auto',
      '--project',
      '/p',
      '--appid',
      'wx123',
      '--disable-gpu',
      '--auto-port',
      '9421',
      '--test-ticket',
      'x',
    ]),
  ).toEqual({ ...base, lang: 'zh', debug: true, command: 'auto', projectPath: '/p', port: 9421 })
  // --port is DevTools' HTTP service port, not the automation port.
  expect(parseArgs(['auto', '--project', '/p', '--port', '1234']).port).toBe(9420)
  // The v1 form, and --opt=value.
  expect(parseArgs(['--auto', '/p', '--auto-port=9000'])).toMatchObject({
    command: 'auto',
    projectPath: '/p',
    port: 9000,
  })
  expect(
    parseArgs([
      'auto',
      '--project',
      '/p',
      '--compile-condition',
      '{"pathName":"/pages/a/index","query":"id=1"}',
    ]).entry,
  ).toBe('pages/a/index?id=1')
  expect(parseArgs(['build-npm', '--project', '/p']).command).toBe('build-npm')
  expect(parseArgs(['quit']).command).toBe('noop')
  expect(parseArgs(['-h']).command).toBe('help')
})

test('rejects what DevTools would reject', () => {
  expect(() => parseArgs(['preview', '--project', '/p'])).toThrow(
    "preview needs WeChat's servers and DevTools",
  )
  expect(() => parseArgs(['bogus', '--project', '/p'])).toThrow('unknown command: bogus')
  expect(() => parseArgs(['auto'])).toThrow('--project is required')
  expect(() => parseArgs(['auto', '--project', '/p', '--auto-port', 'x'])).toThrow('bad port')
  expect(() => parseArgs(['auto', '--project', '/p', '--bogus'])).toThrow('unknown option')
  expect(() => parseArgs(['--lang', 'fr', 'auto', '--project', '/p'])).toThrow(UsageError)
  expect(() => parseArgs(['auto', '--project', '/p', '--compile-condition', '{}'])).toThrow(
    'pathName',
  )
})
