// The README's file store, as an app reaches it through wx.getFileSystemManager() on the runtime's
// wx (the fake wx the CLI installs): files the app writes under wx.env.USER_DATA_PATH read back,
// sync and async, and a missing path fails with WeChat's "no such file or directory".
import { BASIC_PROJECT } from '../fixtures'
import { createRuntimeWx } from './fake-wx-bridge'
import { HeadlessRuntime } from './runtime'
import { wxCallsOn } from '../test-support/runtime-wx-calls'

let rt: HeadlessRuntime
const { call, sync } = wxCallsOn(() => rt)

beforeAll(async () => {
  const bridge = createRuntimeWx({})
  rt = new HeadlessRuntime({
    projectPath: BASIC_PROJECT,
    ...bridge.runtimeOptions,
    onWarning: () => undefined,
  })
  await rt.launch()
})

describe('the file store under wx.env.USER_DATA_PATH', () => {
  interface FileSystemManager {
    writeFileSync(filePath: string, data: string, encoding?: string): void
    readFileSync(filePath: string, encoding?: string): unknown
    accessSync(path: string): void
    writeFile(o: Record<string, unknown>): Promise<Record<string, unknown>>
    readFile(o: Record<string, unknown>): Promise<Record<string, unknown>>
    access(o: Record<string, unknown>): Promise<Record<string, unknown>>
    unlink(o: Record<string, unknown>): Promise<Record<string, unknown>>
    getFileInfo(o: Record<string, unknown>): Promise<Record<string, unknown>>
    saveFile(o: Record<string, unknown>): Promise<Record<string, unknown>>
  }
  const fsm = (): FileSystemManager => sync('getFileSystemManager') as FileSystemManager
  const userPath = (name: string): string =>
    `${(rt.facade.wx.env as { USER_DATA_PATH: string }).USER_DATA_PATH}/${name}`

  test('wx.env.USER_DATA_PATH is http://usr', () => {
    expect(rt.facade.wx.env).toEqual({ USER_DATA_PATH: 'http://usr' })
  })

  test('written files read back, sync and async; access and getFileInfo see them', async () => {
    const notes = userPath('notes.txt')
    fsm().writeFileSync(notes, '你好', 'utf8')
    expect(fsm().readFileSync(notes, 'utf8')).toBe('你好')
    expect(() => fsm().accessSync(notes)).not.toThrow()
    await fsm().writeFile({ filePath: userPath('b.txt'), data: 'abc', encoding: 'utf8' })
    expect(await fsm().readFile({ filePath: userPath('b.txt'), encoding: 'utf8' })).toMatchObject({
      data: 'abc',
    })
    expect(await fsm().access({ path: userPath('b.txt') })).toMatchObject({ errMsg: 'access:ok' })
    expect(await fsm().getFileInfo({ filePath: userPath('b.txt') })).toMatchObject({ size: 3 })
  })

  test('unlink removes a file; a missing path fails with no such file or directory', async () => {
    const gone = userPath('gone.txt')
    fsm().writeFileSync(gone, 'x', 'utf8')
    await fsm().unlink({ filePath: gone })
    await expect(fsm().readFile({ filePath: gone })).rejects.toMatchObject({
      errMsg: `readFile:fail no such file or directory, open "${gone}"`,
    })
    expect(() => fsm().readFileSync(gone)).toThrow(
      `readFileSync:fail no such file or directory, open "${gone}"`,
    )
    // A sync failure is an Error carrying WeChat's errMsg and errno, as the base library throws it.
    let thrown: unknown
    try {
      fsm().accessSync(gone)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).toMatchObject({
      message: `accessSync:fail no such file or directory, open "${gone}"`,
      errMsg: `accessSync:fail no such file or directory, open "${gone}"`,
      errno: 1300002,
    })
    await expect(fsm().access({ path: gone })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/^access:fail no such file or directory/),
    })
    await expect(call('getFileInfo', { filePath: gone })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/^getFileInfo:fail no such file or directory/),
    })
  })
})
