import path from 'path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'

const CLOUD_SRC = path.resolve(__dirname, '..', '..', 'cloudfunctions', 'src')

// Taro 构建配置：weapp 输出到 dist（miniprogramRoot），h5 输出到 dist-h5（由本地云托管）
export default defineConfig<'webpack5'>(async () => {
  const isH5 = process.env.TARO_ENV === 'h5'
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'siyu-client',
    date: '2026-11-22',
    // NutUI 以 375 设计稿编写，其余按 750。
    // 注意：该函数的源码会被原样序列化进运行时（供 Taro.pxTransform 使用），
    // 所以只能自包含：不能引用外部变量（如 NUTUI_FILE），也不能用会被编译成辅助函数的写法（typeof 对象判断）
    designWidth(input) {
      const file = input ? (input as { file?: unknown }).file : undefined
      if (file && /[\\/]@nutui[\\/]/.test(String(file))) return 375
      return 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {
      CLOUD_ENV: JSON.stringify(process.env.CLOUD_ENV ?? ''),
    },
    // @cloud：客户端与云函数共用的纯领域模块（时间、标签、错误文案、文档类型），只可引用 cloudfunctions/src/domain 与 lib/catalog 等不依赖 Node 的文件
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      '@cloud': CLOUD_SRC,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: [CLOUD_SRC] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      compile: { include: [CLOUD_SRC] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: { selectorBlackList: ['nut-'] } },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  }
  return config
})
