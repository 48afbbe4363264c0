// Babel：Taro 预设（React + TypeScript）
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
