// 构建 npm, as DevTools runs it for this project: miniprogram-ci's packNpmManually (DevTools' own
// code) with project.config.json's packNpmRelationList, i.e. the root package.json's
// `dependencies` (wx-login-kit, mobx-miniprogram, mobx-miniprogram-bindings) packed into
// <miniprogramRoot>/miniprogram_npm/. A package with a `miniprogram` field (wx-login-kit) is copied
// from that folder (its miniprogram_dist); the others are bundled from their `main`.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import * as ci from 'miniprogram-ci'

export interface PackNpmResult {
  miniProgramPackNum: number
  otherNpmPackNum: number
  warnings: string[]
}

/**
 * Packs the dependencies of `packageJsonPath` into `miniprogramDir`/miniprogram_npm, from an
 * empty folder (DevTools also replaces it whole), so nothing of an older build survives.
 */
export async function packNpm(
  packageJsonPath: string,
  miniprogramDir: string,
): Promise<PackNpmResult> {
  rmSync(join(miniprogramDir, 'miniprogram_npm'), { recursive: true, force: true })
  const packed = await ci.packNpmManually({
    packageJsonPath,
    miniprogramNpmDistDir: miniprogramDir,
    ignores: [],
  })
  return {
    miniProgramPackNum: packed.miniProgramPackNum,
    otherNpmPackNum: packed.otherNpmPackNum,
    warnings: packed.warnList.map((w) => JSON.stringify(w)),
  }
}
