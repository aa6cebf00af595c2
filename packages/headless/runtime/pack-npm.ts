// 构建 npm, as DevTools' "工具 → 构建 npm" (and its CLI's `build-npm`) does it, through
// miniprogram-ci (the compile module extracted from DevTools), offline:
// - with `setting.packNpmManually`, each `packNpmRelationList` entry packs the dependencies of its
//   package.json into `<miniprogramNpmDistDir>/miniprogram_npm`;
// - otherwise the package.json in the miniprogramRoot (DevTools' default place) packs into
//   `<miniprogramRoot>/miniprogram_npm`.
// Reference: https://developers.weixin.qq.com/miniprogram/dev/devtools/npm.html ("自定义
// node_modules 和 miniprogram_npm 位置的构建 npm 方式").
import fs from 'node:fs'
import path from 'node:path'

export interface PackedRelation {
  packageJsonPath: string
  miniprogramNpmDistDir: string
  miniProgramPackNum: number
  otherNpmPackNum: number
  warnings: string[]
}

interface ProjectSetting {
  miniprogramRoot?: unknown
  setting?: { packNpmManually?: unknown; packNpmRelationList?: unknown }
}

interface PackResult {
  miniProgramPackNum: number
  otherNpmPackNum: number
  warnList: unknown[]
}

type PackNpmManually = (o: {
  packageJsonPath: string
  miniprogramNpmDistDir: string
  ignores?: string[]
}) => Promise<PackResult>

/** The relations 构建 npm would pack for this project (absolute paths). */
export function npmRelations(
  projectPath: string,
): Array<{ packageJsonPath: string; miniprogramNpmDistDir: string }> {
  const configFile = path.join(projectPath, 'project.config.json')
  const config: ProjectSetting = fs.existsSync(configFile)
    ? (JSON.parse(fs.readFileSync(configFile, 'utf8')) as ProjectSetting)
    : {}
  const list = config.setting?.packNpmRelationList
  if (config.setting?.packNpmManually === true && Array.isArray(list)) {
    return list.flatMap((r: unknown) => {
      const rel = r as { packageJsonPath?: unknown; miniprogramNpmDistDir?: unknown }
      return typeof rel.packageJsonPath === 'string' &&
        typeof rel.miniprogramNpmDistDir === 'string'
        ? [
            {
              packageJsonPath: path.resolve(projectPath, rel.packageJsonPath),
              miniprogramNpmDistDir: path.resolve(projectPath, rel.miniprogramNpmDistDir),
            },
          ]
        : []
    })
  }
  const root = path.resolve(
    projectPath,
    typeof config.miniprogramRoot === 'string' ? config.miniprogramRoot : '',
  )
  const packageJsonPath = path.join(root, 'package.json')
  return fs.existsSync(packageJsonPath) ? [{ packageJsonPath, miniprogramNpmDistDir: root }] : []
}

/** Why 构建 npm cannot run when miniprogram-ci (an optional peer dependency) is not installed. */
export const NO_MINIPROGRAM_CI =
  '构建 npm needs miniprogram-ci, an optional peer dependency of miniprogram-headless: npm install --save-dev miniprogram-ci'

/** miniprogram-ci is large and only needed here: loaded on demand, with a way out if absent. */
async function loadMiniprogramCi(): Promise<{ packNpmManually: PackNpmManually }> {
  try {
    return (await import('miniprogram-ci')) as unknown as { packNpmManually: PackNpmManually }
  } catch (e) {
    const missing =
      (e as { code?: unknown }).code === 'MODULE_NOT_FOUND' &&
      String((e as { message?: unknown }).message).includes("'miniprogram-ci'")
    if (missing) throw new Error(NO_MINIPROGRAM_CI)
    throw e
  }
}

/** Packs every relation; the previous miniprogram_npm of each is replaced. */
export async function packProjectNpm(projectPath: string): Promise<PackedRelation[]> {
  const ci = await loadMiniprogramCi()
  const out: PackedRelation[] = []
  for (const relation of npmRelations(projectPath)) {
    fs.rmSync(path.join(relation.miniprogramNpmDistDir, 'miniprogram_npm'), {
      recursive: true,
      force: true,
    })
    const result = await ci.packNpmManually({ ...relation, ignores: [] })
    out.push({
      ...relation,
      miniProgramPackNum: result.miniProgramPackNum,
      otherNpmPackNum: result.otherNpmPackNum,
      warnings: result.warnList.map((w) => (typeof w === 'string' ? w : JSON.stringify(w))),
    })
  }
  return out
}
