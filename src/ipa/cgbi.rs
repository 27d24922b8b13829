//! Xcode's "crushed" PNGs (CgBI): a `CgBI` chunk before IHDR, pixels in BGRA
//! order with premultiplied alpha, IDAT as raw deflate without a zlib header.
//! Decoded here into a standard PNG any viewer opens.
//!
//! The filter pass is written out because no PNG decoder accepts CgBI input;
//! encoding the result is the `image` crate's job.

use crate::bytes::slice_at;
// The `bufread` decoder reads the mapped slice in place; the `read` one would copy
// it through a zeroed 32 KiB buffer first.
use flate2::bufread::DeflateDecoder;
use std::io::Read;
use thiserror::Error;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Largest icon decoded (pixels per side); app icons are at most 1024.
const MAX_SIDE: u32 = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CgbiError {
    #[error("not a PNG")]
    NotPng,
    #[error("PNG chunk at byte {0} runs past the end")]
    Truncated(usize),
    #[error("PNG has no IHDR")]
    NoHeader,
    #[error("unsupported crushed PNG: {0}")]
    Unsupported(String),
    #[error("crushed PNG image data: {0}")]
    Data(String),
}

/// PNG header facts, for crushed and normal PNGs alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub crushed: bool,
    bit_depth: u8,
    color_type: u8,
    interlace: u8,
}

/// Walk the chunks: (type, data).
/// A chunk: its four-letter type and its data.
type RawChunk<'a> = ([u8; 4], &'a [u8]);

fn chunks(png: &[u8]) -> Result<Vec<RawChunk<'_>>, CgbiError> {
    if png.get(..8) != Some(&SIGNATURE[..]) {
        return Err(CgbiError::NotPng);
    }
    let mut out = Vec::new();
    let mut at = 8usize;
    while at < png.len() {
        let len = crate::bytes::slice_at(png, at, 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
            .ok_or(CgbiError::Truncated(at))? as usize;
        let kind: [u8; 4] = slice_at(png, at + 4, 4)
            .and_then(|b| b.try_into().ok())
            .ok_or(CgbiError::Truncated(at))?;
        let data = slice_at(png, at + 8, len).ok_or(CgbiError::Truncated(at))?;
        out.push((kind, data));
        if &kind == b"IEND" {
            break;
        }
        at = at + 12 + len;
    }
    Ok(out)
}

pub fn info(png: &[u8]) -> Result<PngInfo, CgbiError> {
    let chunks = chunks(png)?;
    let crushed = chunks.iter().any(|(k, _)| k == b"CgBI");
    let (_, ihdr) = chunks
        .iter()
        .find(|(k, _)| k == b"IHDR")
        .ok_or(CgbiError::NoHeader)?;
    let be = |at| {
        slice_at(ihdr, at, 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
    };
    Ok(PngInfo {
        width: be(0).ok_or(CgbiError::NoHeader)?,
        height: be(4).ok_or(CgbiError::NoHeader)?,
        crushed,
        bit_depth: ihdr.get(8).copied().unwrap_or(0),
        color_type: ihdr.get(9).copied().unwrap_or(0),
        interlace: ihdr.get(12).copied().unwrap_or(0),
    })
}

/// Decode a crushed PNG to straight-alpha RGBA pixels.
pub fn decode(png: &[u8]) -> Result<(PngInfo, Vec<u8>), CgbiError> {
    let info = info(png)?;
    let channels = match (info.color_type, info.bit_depth) {
        (6, 8) => 4usize,
        (2, 8) => 3usize,
        (ct, bd) => {
            return Err(CgbiError::Unsupported(format!(
                "colour type {ct}, bit depth {bd}"
            )))
        }
    };
    if info.interlace != 0 {
        return Err(CgbiError::Unsupported("interlaced".into()));
    }
    if info.width == 0 || info.height == 0 || info.width > MAX_SIDE || info.height > MAX_SIDE {
        return Err(CgbiError::Unsupported(format!(
            "{}x{} pixels",
            info.width, info.height
        )));
    }
    let (w, h) = (info.width as usize, info.height as usize);
    let stride = w * channels;
    let expected = (stride + 1) * h;
    let idat: Vec<u8> = chunks(png)?
        .into_iter()
        .filter(|(k, _)| k == b"IDAT")
        .flat_map(|(_, d)| d.iter().copied())
        .collect();
    let mut raw = Vec::with_capacity(expected);
    // Crushed: raw deflate. (A normal zlib stream is accepted too, as some tools re-crush.)
    let inflated = if info.crushed || idat.first().is_none_or(|b| b & 0x0f != 8) {
        DeflateDecoder::new(idat.as_slice())
            .take(expected as u64 + 1)
            .read_to_end(&mut raw)
    } else {
        flate2::bufread::ZlibDecoder::new(idat.as_slice())
            .take(expected as u64 + 1)
            .read_to_end(&mut raw)
    };
    inflated.map_err(|e| CgbiError::Data(e.to_string()))?;
    if raw.len() < expected {
        return Err(CgbiError::Data(format!(
            "{} bytes of pixels, {expected} needed",
            raw.len()
        )));
    }
    let mut out = vec![0u8; w * h * 4];
    let mut prev = vec![0u8; stride];
    let mut line = vec![0u8; stride];
    for y in 0..h {
        let row = raw
            .get(y * (stride + 1)..(y + 1) * (stride + 1))
            .ok_or_else(|| CgbiError::Data("short".into()))?;
        let (filter, src) = row
            .split_first()
            .ok_or_else(|| CgbiError::Data("short".into()))?;
        unfilter(*filter, src, &prev, &mut line, channels)?;
        let dst = out
            .get_mut(y * w * 4..(y + 1) * w * 4)
            .ok_or_else(|| CgbiError::Data("short".into()))?;
        for (px, d) in line.chunks_exact(channels).zip(dst.chunks_exact_mut(4)) {
            let (b, g, r) = (
                px.first().copied().unwrap_or(0),
                px.get(1).copied().unwrap_or(0),
                px.get(2).copied().unwrap_or(0),
            );
            let a = if channels == 4 {
                px.get(3).copied().unwrap_or(255)
            } else {
                255
            };
            let (r, g, b) = if info.crushed { (r, g, b) } else { (b, g, r) };
            let unpremultiply = |c: u8| -> u8 {
                if !info.crushed || a == 0 || a == 255 {
                    c
                } else {
                    ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8
                }
            };
            d.copy_from_slice(&[unpremultiply(r), unpremultiply(g), unpremultiply(b), a]);
        }
        std::mem::swap(&mut prev, &mut line);
    }
    Ok((info, out))
}

/// Reverse one PNG filter (RFC 2083 §6).
fn unfilter(
    filter: u8,
    src: &[u8],
    prev: &[u8],
    out: &mut [u8],
    bpp: usize,
) -> Result<(), CgbiError> {
    for i in 0..out.len() {
        let x = src.get(i).copied().unwrap_or(0);
        let a = if i >= bpp {
            out.get(i - bpp).copied().unwrap_or(0)
        } else {
            0
        };
        let b = prev.get(i).copied().unwrap_or(0);
        let c = if i >= bpp {
            prev.get(i - bpp).copied().unwrap_or(0)
        } else {
            0
        };
        let v = match filter {
            0 => x,
            1 => x.wrapping_add(a),
            2 => x.wrapping_add(b),
            3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
            4 => x.wrapping_add(paeth(a, b, c)),
            f => return Err(CgbiError::Data(format!("unknown filter {f}"))),
        };
        if let Some(o) = out.get_mut(i) {
            *o = v;
        }
    }
    Ok(())
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// A standard PNG for any PNG: crushed ones are decoded and re-encoded,
/// normal ones pass through untouched.
pub fn to_standard_png(png: &[u8]) -> Result<Vec<u8>, CgbiError> {
    let i = info(png)?;
    if !i.crushed {
        return Ok(png.to_vec());
    }
    let (info, rgba) = decode(png)?;
    let img = image::RgbaImage::from_raw(info.width, info.height, rgba)
        .ok_or_else(|| CgbiError::Data("pixel buffer size".into()))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| CgbiError::Data(e.to_string()))?;
    Ok(out.into_inner())
}
