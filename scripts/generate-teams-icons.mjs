// Draws the Teams app icons with Node alone (no image libraries) and writes them as PNG files:
// manifests/teams/color.png (192×192, white waves on the accent colour) and
// manifests/teams/outline.png (32×32, white waves on transparent, as Teams requires).
// The PNGs are committed; run `node scripts/generate-teams-icons.mjs` only to change the design.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const ACCENT = [0x1d, 0x3a, 0x5f];
const WHITE = [0xff, 0xff, 0xff];

/**
 * Coverage (0–1) of three horizontal sine waves — "drift" — at pixel (x, y) of a size×size icon,
 * estimated with 4×4 supersampling so edges are anti-aliased.
 */
function waveCoverage(x, y, size, { margin, thickness }) {
  const samples = 4;
  let hit = 0;
  for (let sy = 0; sy < samples; sy += 1) {
    for (let sx = 0; sx < samples; sx += 1) {
      const px = (x + (sx + 0.5) / samples) / size;
      const py = (y + (sy + 0.5) / samples) / size;
      if (px < margin || px > 1 - margin) continue;
      const phase = ((px - margin) / (1 - 2 * margin)) * Math.PI * 2;
      for (const row of [0.3, 0.5, 0.7]) {
        // The lower waves drift further: each row's amplitude grows a little.
        const amplitude = 0.05 + (row - 0.3) * 0.1;
        const centre = row + Math.sin(phase) * amplitude;
        if (Math.abs(py - centre) <= thickness / 2) {
          hit += 1;
          break;
        }
      }
    }
  }
  return hit / (samples * samples);
}

function drawIcon(size, { background, margin, thickness }) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const c = waveCoverage(x, y, size, { margin, thickness });
      const i = (y * size + x) * 4;
      if (background) {
        // Opaque: blend white waves over the accent colour.
        for (let k = 0; k < 3; k += 1)
          rgba[i + k] = Math.round(background[k] * (1 - c) + WHITE[k] * c);
        rgba[i + 3] = 255;
      } else {
        // Transparent: pure white, coverage in alpha only (Teams' outline rule).
        rgba.set(WHITE, i);
        rgba[i + 3] = Math.round(255 * c);
      }
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every row with filter 0. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1)
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(
  'manifests/teams/color.png',
  drawIcon(192, { background: ACCENT, margin: 0.16, thickness: 0.07 }),
);
writeFileSync('manifests/teams/outline.png', drawIcon(32, { margin: 0.06, thickness: 0.1 }));
console.log('wrote manifests/teams/color.png (192×192) and manifests/teams/outline.png (32×32)');
