// Draws images/icon.png (128×128): a package (isometric box) on a blue tile with a green check,
// "a package that is ready to ship". No image library: shapes are filled with 4×4 supersampling
// and written as an RGBA PNG with node:zlib.   node scripts/draw-icon.mjs
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per axis per pixel

/** Point-in-polygon (even-odd). */
function inPolygon(x, y, pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255];

// Box corners (isometric): top face, left face, right face.
const top = [[64, 22], [100, 40], [64, 58], [28, 40]];
const left = [[28, 40], [64, 58], [64, 102], [28, 84]];
const right = [[64, 58], [100, 40], [100, 84], [64, 102]];
const tape = [[46, 31], [82, 49], [82, 54], [46, 36]]; // the strip across the lid
const badge = { cx: 96, cy: 96, r: 22 };
const check = [[85, 96], [93, 104], [108, 88]];

/** Colour of one sample point: later shapes paint over earlier ones. */
function sample(x, y) {
  let c = [0, 0, 0, 0];
  if (inRoundedRect(x, y, 4, 4, 124, 124, 22)) {
    const t = (x + y) / 256; // diagonal gradient
    c = [Math.round(31 + t * 20), Math.round(78 + t * 40), Math.round(121 + t * 62), 255];
  }
  if (inPolygon(x, y, top)) c = hex('#F4D9A6');
  if (inPolygon(x, y, left)) c = hex('#D9A85B');
  if (inPolygon(x, y, right)) c = hex('#C08A3E');
  if (inPolygon(x, y, tape)) c = hex('#E9EEF3');
  if ((x - badge.cx) ** 2 + (y - badge.cy) ** 2 <= (badge.r + 3) ** 2) c = hex('#FFFFFF');
  if ((x - badge.cx) ** 2 + (y - badge.cy) ** 2 <= badge.r ** 2) c = hex('#2E9E5B');
  if (distToSegment(x, y, check[0], check[1]) <= 3.2 || distToSegment(x, y, check[1], check[2]) <= 3.2) c = hex('#FFFFFF');
  return c;
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  pixels[py * (SIZE * 4 + 1)] = 0; // PNG filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        // Premultiplied accumulation keeps anti-aliased edges against transparency clean.
        acc[0] += c[0] * c[3]; acc[1] += c[1] * c[3]; acc[2] += c[2] * c[3]; acc[3] += c[3];
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    const a = acc[3] / (SS * SS);
    pixels[o] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
    pixels[o + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
    pixels[o + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
    pixels[o + 3] = Math.round(a);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(pixels, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
const out = join(resolve(import.meta.dirname, '..'), 'images', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
