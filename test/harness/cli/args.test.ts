import { parseArgs, UsageError } from './args'

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
  ).toEqual({ projectPath: '/p', port: 9420, account: 'o-test', trustProject: true })
  expect(parseArgs(['auto', '--project', '/p', '--auto-port', '1', '--ticket', 't'])).toEqual({
    projectPath: '/p',
    port: 1,
    ticket: 't',
    trustProject: false,
  })
})

test('rejects what DevTools would reject', () => {
  expect(() => parseArgs(['open', '--project', '/p'])).toThrow(UsageError)
  expect(() => parseArgs(['auto'])).toThrow('--project is required')
  expect(() => parseArgs(['auto', '--project', '/p', '--auto-port', 'x'])).toThrow('bad port')
  expect(() => parseArgs(['auto', '--project', '/p', '--bogus'])).toThrow('unknown option')
})
