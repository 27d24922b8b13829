//! APK Signature Scheme v2, v3 and v3.1 signer lists (apksig's
//! `ApkSigningBlockUtils`, `V3SchemeConstants`). Only the structure is read
//! here; verification lives elsewhere.

use super::block::LengthPrefixed;

/// Bound on signers, certificates, digests and attributes read per list.
const MAX_ITEMS: usize = 32;

/// v3 signed-data attribute holding the proof-of-rotation lineage.
pub const ATTR_PROOF_OF_ROTATION: u32 = 0x3ba0_6f8c;
/// v3 attribute: the SDK from which the rotated key applies (v3.1 companion).
pub const ATTR_ROTATION_MIN_SDK: u32 = 0x559f_8b02;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    V2,
    V3,
    V31,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::V2 => "v2",
            Scheme::V3 => "v3",
            Scheme::V31 => "v3.1",
        }
    }
}

/// One node of a v3 proof-of-rotation lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageNode<'a> {
    pub certificate: &'a [u8],
    pub flags: u32,
    pub signature_algorithm: u32,
}

/// A signer as stored in a v2/v3/v3.1 block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeSigner<'a> {
    pub scheme: Scheme,
    /// The signed data, as stored (what the signatures cover).
    pub signed_data: &'a [u8],
    pub digests: Vec<(u32, &'a [u8])>,
    /// Certificates; the first is the signer's.
    pub certificates: Vec<&'a [u8]>,
    pub min_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    pub attributes: Vec<(u32, &'a [u8])>,
    pub signatures: Vec<(u32, &'a [u8])>,
    pub public_key: &'a [u8],
    /// Oldest first; empty without rotation.
    pub lineage: Vec<LineageNode<'a>>,
}

/// Parse the value of a v2/v3/v3.1 pair. `base` is its offset in the file.
/// A signer carrying more than `max_certificates` certificates is an error.
pub fn parse(
    value: &[u8],
    base: usize,
    scheme: Scheme,
    max_certificates: usize,
) -> Result<Vec<SchemeSigner<'_>>, String> {
    let mut outer = LengthPrefixed::new(value, base);
    let mut list = outer
        .seq()
        .map_err(|e| format!("{} signer list: {e}", scheme.name()))?;
    let mut out = Vec::new();
    while !list.is_empty() {
        if out.len() >= MAX_ITEMS {
            return Err(format!(
                "{} block lists more than {MAX_ITEMS} signers",
                scheme.name()
            ));
        }
        let n = out.len() + 1;
        let signer = list
            .seq()
            .and_then(|s| signer(s, scheme, max_certificates))
            .map_err(|e| format!("{} signer #{n}: {e}", scheme.name()))?;
        out.push(signer);
    }
    if out.is_empty() {
        return Err(format!("{} block has no signers", scheme.name()));
    }
    Ok(out)
}

fn signer(
    mut s: LengthPrefixed<'_>,
    scheme: Scheme,
    max_certificates: usize,
) -> Result<SchemeSigner<'_>, String> {
    let (sd_at, signed_data) = s.item()?;
    let mut sd = LengthPrefixed::new(signed_data, sd_at);
    let mut digests = Vec::new();
    let mut seq = sd.seq()?;
    while !seq.is_empty() && digests.len() < MAX_ITEMS {
        let mut d = seq.seq()?;
        digests.push((d.u32()?, d.item()?.1));
    }
    let mut certificates = Vec::new();
    let mut seq = sd.seq()?;
    while !seq.is_empty() {
        if certificates.len() >= max_certificates {
            return Err(format!(
                "more than {max_certificates} certificates (the max-certificates limit)"
            ));
        }
        certificates.push(seq.item()?.1);
    }
    let (mut min_sdk, mut max_sdk) = (None, None);
    if scheme != Scheme::V2 {
        min_sdk = Some(sd.u32()?);
        max_sdk = Some(sd.u32()?);
    }
    let mut attributes = Vec::new();
    if !sd.is_empty() {
        let mut seq = sd.seq()?;
        while !seq.is_empty() && attributes.len() < MAX_ITEMS {
            let mut a = seq.seq()?;
            let id = a.u32()?;
            attributes.push((id, a.reader().rest()));
        }
    }
    if scheme != Scheme::V2 {
        // The signer's own SDK range is repeated outside the signed data.
        let (outer_min, outer_max) = (s.u32()?, s.u32()?);
        min_sdk = Some(outer_min);
        max_sdk = Some(outer_max);
    }
    let mut signatures = Vec::new();
    let mut seq = s.seq()?;
    while !seq.is_empty() && signatures.len() < MAX_ITEMS {
        let mut sig = seq.seq()?;
        signatures.push((sig.u32()?, sig.item()?.1));
    }
    let public_key = s.item()?.1;
    let lineage = match attributes
        .iter()
        .find(|(id, _)| *id == ATTR_PROOF_OF_ROTATION)
    {
        Some((_, value)) => {
            lineage(value).map_err(|e| format!("proof-of-rotation lineage: {e}"))?
        }
        None => Vec::new(),
    };
    Ok(SchemeSigner {
        scheme,
        signed_data,
        digests,
        certificates,
        min_sdk,
        max_sdk,
        attributes,
        signatures,
        public_key,
        lineage,
    })
}

/// `u32 version (1)`, then length-prefixed nodes:
/// `{ lp signed_data { lp certificate, u32 sig_alg }, u32 flags, u32 sig_alg, lp signature }`.
pub fn lineage(value: &[u8]) -> Result<Vec<LineageNode<'_>>, String> {
    let mut r = LengthPrefixed::new(value, 0);
    let version = r.u32()?;
    if version != 1 {
        return Err(format!("unknown lineage version {version}"));
    }
    let mut out = Vec::new();
    while !r.is_empty() {
        if out.len() >= MAX_ITEMS {
            return Err(format!("more than {MAX_ITEMS} lineage nodes"));
        }
        let mut node = r.seq()?;
        let mut signed = node.seq()?;
        let certificate = signed.item()?.1;
        let flags = node.u32()?;
        let signature_algorithm = node.u32()?;
        out.push(LineageNode {
            certificate,
            flags,
            signature_algorithm,
        });
    }
    Ok(out)
}
