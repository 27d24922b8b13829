//! APK Signature Scheme v4: the `.idsig` file beside an APK (apksig `V4Signature`).
//!
//! `u32 version`, `lp hashing_info`, `lp signing_info { lp apk_digest, lp certificate, … }`,
//! all lengths little-endian u32.

use super::block::LengthPrefixed;

/// The signer's certificate from a `.idsig`.
pub fn certificate(idsig: &[u8]) -> Result<&[u8], String> {
    let mut r = LengthPrefixed::new(idsig, 0);
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(format!("unknown v4 signature version {version}"));
    }
    r.item()?; // hashing info
    let mut signing = r.seq()?;
    signing.item()?; // APK digest
    let (_, cert) = signing.item()?;
    Ok(cert)
}

/// The APK content digest a `.idsig` was made for.
pub fn apk_digest(idsig: &[u8]) -> Result<&[u8], String> {
    let mut r = LengthPrefixed::new(idsig, 0);
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(format!("unknown v4 signature version {version}"));
    }
    r.item()?;
    let mut signing = r.seq()?;
    Ok(signing.item()?.1)
}
