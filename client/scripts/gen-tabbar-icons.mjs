// 生成 tabBar 小图标（48×48 PNG，灰色/品牌红两套），无第三方依赖：node scripts/gen-tabbar-icons.mjs
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SIZE = 48
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'assets', 'tabbar')

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function png(inside, [r, g, b]) {
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1))
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0
    for (let x = 0; x < SIZE; x++) {
      const o = y * (SIZE * 4 + 1) + 1 + x * 4
      const on = inside(x + 0.5, y + 0.5)
      raw[o] = r
      raw[o + 1] = g
      raw[o + 2] = b
      raw[o + 3] = on ? 255 : 0
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  ihdr[10] = 0
  ihdr[11] = 0
  ihdr[12] = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const shapes = {
  // 房子：三角屋顶 + 方形屋身
  home: (x, y) => (y >= 8 && y < 24 && Math.abs(x - 24) <= (y - 8) * 1.1) || (x >= 12 && x < 36 && y >= 22 && y < 40),
  // 会员：菱形钻石
  member: (x, y) => Math.abs(x - 24) / 18 + Math.abs(y - 24) / 16 <= 1,
  // 我的：头 + 肩
  mine: (x, y) =>
    (x - 24) ** 2 + (y - 16) ** 2 <= 64 || (y >= 28 && y < 42 && (x - 24) ** 2 / 256 + (y - 42) ** 2 / 196 <= 1),
}

mkdirSync(OUT, { recursive: true })
for (const [name, inside] of Object.entries(shapes)) {
  writeFileSync(join(OUT, `${name}.png`), png(inside, [138, 138, 138]))
  writeFileSync(join(OUT, `${name}-active.png`), png(inside, [250, 44, 25]))
}
console.log('tabBar icons written to', OUT)
