//! MD5 (RFC 1321) as a RustCrypto [`Digest`](digest::Digest): the `digest`
//! crate's buffering and padding around our own compression function.
//!
//! Why not the `md-5` crate: `inspect --hashes` is as fast as its MD5 thread,
//! and issue 5 holds it to within 10% of coreutils' `md5sum`, whose C MD5 is
//! faster than `md-5`'s. In memory, on this project's machine (AMD EPYC,
//! 2026-11-27, best of 5 over 256 MiB): `md-5` 0.10 ~595 MB/s, with its `asm`
//! feature ~620 MB/s; coreutils' C code (gcc -O2) ~728 MB/s; this ~795 MB/s.
//! MD5 is one long dependency chain, so its speed is the chain's length per
//! step. Each step below adds the message word, the constant, the oldest state
//! word and whatever part of the round function does not involve the newest
//! word *before* the newest word is ready, which leaves 4 (G, H) or 5 (F, I)
//! operations on the chain. `md-5` stays as the oracle of the tests below.

use digest::block_buffer::Eager;
use digest::const_oid::{AssociatedOid, ObjectIdentifier};
use digest::core_api::{
    AlgorithmName, Block, BlockSizeUser, Buffer, BufferKindUser, CoreWrapper, FixedOutputCore,
    OutputSizeUser, Reset, UpdateCore,
};
use digest::typenum::{U16, U64};
use digest::{HashMarker, Output};

/// MD5 hasher: `Md5::new()`, `update`, `finalize`, as with any RustCrypto hash.
pub type Md5 = CoreWrapper<Md5Core>;

/// MD5's chaining state and the number of 64-byte blocks compressed so far.
#[derive(Clone)]
pub struct Md5Core {
    blocks: u64,
    state: [u32; 4],
}

const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

impl Default for Md5Core {
    fn default() -> Self {
        Md5Core {
            blocks: 0,
            state: INIT,
        }
    }
}

impl HashMarker for Md5Core {}

impl BlockSizeUser for Md5Core {
    type BlockSize = U64;
}

impl BufferKindUser for Md5Core {
    type BufferKind = Eager;
}

impl OutputSizeUser for Md5Core {
    type OutputSize = U16;
}

impl UpdateCore for Md5Core {
    #[inline]
    fn update_blocks(&mut self, blocks: &[Block<Self>]) {
        self.blocks = self.blocks.wrapping_add(blocks.len() as u64);
        let t = constants();
        for block in blocks {
            compress(&mut self.state, block, t);
        }
    }
}

impl FixedOutputCore for Md5Core {
    fn finalize_fixed_core(&mut self, buffer: &mut Buffer<Self>, out: &mut Output<Self>) {
        // The length is in bits, modulo 2^64, as RFC 1321 says.
        let bits = self
            .blocks
            .wrapping_mul(64)
            .wrapping_add(buffer.get_pos() as u64)
            .wrapping_mul(8);
        let mut state = self.state;
        let t = constants();
        buffer.len64_padding_le(bits, |block| compress(&mut state, block, t));
        for (o, word) in out.chunks_exact_mut(4).zip(state) {
            o.copy_from_slice(&word.to_le_bytes());
        }
    }
}

impl Reset for Md5Core {
    fn reset(&mut self) {
        *self = Md5Core::default();
    }
}

impl AlgorithmName for Md5Core {
    fn write_alg_name(f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Md5")
    }
}

impl std::fmt::Debug for Md5Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Md5Core { .. }")
    }
}

/// So that `rsa::Pkcs1v15Sign::new::<Md5>()` can build the DigestInfo prefix.
impl AssociatedOid for Md5Core {
    const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
}

/// RFC 1321's T[1..=64], the integer part of 2^32 × |sin(i)|.
#[rustfmt::skip]
const T: [u32; 64] = [
    0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee,
    0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
    0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be,
    0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
    0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa,
    0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
    0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed,
    0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
    0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c,
    0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
    0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05,
    0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
    0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039,
    0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
    0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1,
    0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
];

/// The constants, hidden from the optimiser. Seen as literals, LLVM moves
/// each one to the end of its step's sum (after `f(b, c, d)`), which puts one
/// more add on the chain every step: 660 instead of 800 MB/s here. As values
/// loaded from a table they are added early, where they cost nothing.
#[inline(always)]
fn constants() -> &'static [u32; 64] {
    std::hint::black_box(&T)
}

// One step of each round: a = b + ((a + f(b, c, d) + x + t) <<< s). `a`, `c`
// and `d` were computed one or more steps ago; `b` is the word the previous
// step produced, so it enters last.
#[inline(always)]
fn ff(a: u32, b: u32, c: u32, d: u32, x: u32, t: u32, s: u32) -> u32 {
    let early = a.wrapping_add(x).wrapping_add(t);
    early
        .wrapping_add(d ^ (b & (c ^ d)))
        .rotate_left(s)
        .wrapping_add(b)
}

// G = (b & d) | (c & !d); the two halves never share a bit, so `|` can be
// `+` and the half without `b` joins the early sum.
#[inline(always)]
fn gg(a: u32, b: u32, c: u32, d: u32, x: u32, t: u32, s: u32) -> u32 {
    let early = a.wrapping_add(x).wrapping_add(t).wrapping_add(c & !d);
    early.wrapping_add(b & d).rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn hh(a: u32, b: u32, c: u32, d: u32, x: u32, t: u32, s: u32) -> u32 {
    let early = a.wrapping_add(x).wrapping_add(t);
    early
        .wrapping_add(b ^ (c ^ d))
        .rotate_left(s)
        .wrapping_add(b)
}

#[inline(always)]
fn ii(a: u32, b: u32, c: u32, d: u32, x: u32, t: u32, s: u32) -> u32 {
    let early = a.wrapping_add(x).wrapping_add(t);
    early
        .wrapping_add(c ^ (b | !d))
        .rotate_left(s)
        .wrapping_add(b)
}

/// The MD5 compression function over one 64-byte block (RFC 1321 §3.4; the
/// steps, message-word order, constants and shifts are the RFC's, in order).
#[inline(always)]
fn compress(state: &mut [u32; 4], block: &Block<Md5Core>, t: &[u32; 64]) {
    let mut x = [0u32; 16];
    for (w, bytes) in x.iter_mut().zip(block.chunks_exact(4)) {
        let mut le = [0u8; 4];
        le.copy_from_slice(bytes);
        *w = u32::from_le_bytes(le);
    }
    let [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15] = x;
    let [mut a, mut b, mut c, mut d] = *state;

    a = ff(a, b, c, d, x0, t[0], 7);
    d = ff(d, a, b, c, x1, t[1], 12);
    c = ff(c, d, a, b, x2, t[2], 17);
    b = ff(b, c, d, a, x3, t[3], 22);
    a = ff(a, b, c, d, x4, t[4], 7);
    d = ff(d, a, b, c, x5, t[5], 12);
    c = ff(c, d, a, b, x6, t[6], 17);
    b = ff(b, c, d, a, x7, t[7], 22);
    a = ff(a, b, c, d, x8, t[8], 7);
    d = ff(d, a, b, c, x9, t[9], 12);
    c = ff(c, d, a, b, x10, t[10], 17);
    b = ff(b, c, d, a, x11, t[11], 22);
    a = ff(a, b, c, d, x12, t[12], 7);
    d = ff(d, a, b, c, x13, t[13], 12);
    c = ff(c, d, a, b, x14, t[14], 17);
    b = ff(b, c, d, a, x15, t[15], 22);

    a = gg(a, b, c, d, x1, t[16], 5);
    d = gg(d, a, b, c, x6, t[17], 9);
    c = gg(c, d, a, b, x11, t[18], 14);
    b = gg(b, c, d, a, x0, t[19], 20);
    a = gg(a, b, c, d, x5, t[20], 5);
    d = gg(d, a, b, c, x10, t[21], 9);
    c = gg(c, d, a, b, x15, t[22], 14);
    b = gg(b, c, d, a, x4, t[23], 20);
    a = gg(a, b, c, d, x9, t[24], 5);
    d = gg(d, a, b, c, x14, t[25], 9);
    c = gg(c, d, a, b, x3, t[26], 14);
    b = gg(b, c, d, a, x8, t[27], 20);
    a = gg(a, b, c, d, x13, t[28], 5);
    d = gg(d, a, b, c, x2, t[29], 9);
    c = gg(c, d, a, b, x7, t[30], 14);
    b = gg(b, c, d, a, x12, t[31], 20);

    a = hh(a, b, c, d, x5, t[32], 4);
    d = hh(d, a, b, c, x8, t[33], 11);
    c = hh(c, d, a, b, x11, t[34], 16);
    b = hh(b, c, d, a, x14, t[35], 23);
    a = hh(a, b, c, d, x1, t[36], 4);
    d = hh(d, a, b, c, x4, t[37], 11);
    c = hh(c, d, a, b, x7, t[38], 16);
    b = hh(b, c, d, a, x10, t[39], 23);
    a = hh(a, b, c, d, x13, t[40], 4);
    d = hh(d, a, b, c, x0, t[41], 11);
    c = hh(c, d, a, b, x3, t[42], 16);
    b = hh(b, c, d, a, x6, t[43], 23);
    a = hh(a, b, c, d, x9, t[44], 4);
    d = hh(d, a, b, c, x12, t[45], 11);
    c = hh(c, d, a, b, x15, t[46], 16);
    b = hh(b, c, d, a, x2, t[47], 23);

    a = ii(a, b, c, d, x0, t[48], 6);
    d = ii(d, a, b, c, x7, t[49], 10);
    c = ii(c, d, a, b, x14, t[50], 15);
    b = ii(b, c, d, a, x5, t[51], 21);
    a = ii(a, b, c, d, x12, t[52], 6);
    d = ii(d, a, b, c, x3, t[53], 10);
    c = ii(c, d, a, b, x10, t[54], 15);
    b = ii(b, c, d, a, x1, t[55], 21);
    a = ii(a, b, c, d, x8, t[56], 6);
    d = ii(d, a, b, c, x15, t[57], 10);
    c = ii(c, d, a, b, x6, t[58], 15);
    b = ii(b, c, d, a, x13, t[59], 21);
    a = ii(a, b, c, d, x4, t[60], 6);
    d = ii(d, a, b, c, x11, t[61], 10);
    c = ii(c, d, a, b, x2, t[62], 15);
    b = ii(b, c, d, a, x9, t[63], 21);

    let [sa, sb, sc, sd] = state;
    *sa = sa.wrapping_add(a);
    *sb = sb.wrapping_add(b);
    *sc = sc.wrapping_add(c);
    *sd = sd.wrapping_add(d);
}

#[cfg(test)]
mod tests {
    use super::Md5;
    use crate::cert::hex;
    use digest::Digest;

    /// RFC 1321 appendix A.5, the test suite.
    #[test]
    fn rfc1321_test_suite() {
        let cases: [(&str, &str); 7] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(hex(&Md5::digest(input.as_bytes())), want, "{input:?}");
        }
    }

    /// Against the `md-5` crate: every length across the padding boundaries
    /// (55/56/64 bytes and multiples), fed whole and in uneven pieces, so the
    /// buffer hand-off between `update` calls is covered too.
    #[test]
    fn same_as_md5_crate_at_every_length() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let data: Vec<u8> = (0..1100)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        for n in 0..=data.len() {
            let input = &data[..n];
            let want = hex(&rustcrypto_md5::Md5::digest(input));
            assert_eq!(hex(&Md5::digest(input)), want, "length {n}");
            let mut h = Md5::new();
            for piece in input.chunks(1 + n % 70) {
                h.update(piece);
            }
            assert_eq!(hex(&h.finalize()), want, "length {n} in pieces");
        }
    }

    /// Megabytes in one call, as the whole-file hash feeds it.
    #[test]
    fn same_as_md5_crate_on_megabytes() {
        let data: Vec<u8> = (0..5u32 << 20).map(|i| (i ^ (i >> 11)) as u8).collect();
        assert_eq!(
            hex(&Md5::digest(&data)),
            hex(&rustcrypto_md5::Md5::digest(&data))
        );
    }
}
