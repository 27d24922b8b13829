//! `apkinfo verify` for HarmonyOS packages, after OpenHarmony's
//! `appverify` (`HapVerifyV2`, `HapSigningBlockUtils::VerifyHapIntegrity`):
//!
//! 1. the signature sub-block is a PKCS#7 SignedData whose content is
//!    `i32 version, i32 blockCount, { i32 blockLen, i32 algorithmId,
//!    i32 digestLen, digest }`;
//! 2. the digest is the chunked digest of the ZIP entries before the block,
//!    the central directory and the end record (its directory offset set to
//!    the block's) — the APK v2 construction — with the top hash also
//!    taken over every other sub-block's value, in block order;
//! 3. the SignerInfo verifies with the leaf it names;
//! 4. a signed profile's own SignerInfo verifies over its JSON.

use super::signing::SubBlockType;
use super::Hap;
use crate::bytes::Reader;
use crate::cert::{self, pkcs7, signer};
use crate::crypto::Hash;
use crate::digest::Sections;
use crate::report::{SchemesVerified, VerificationReport};

/// The digest and its algorithm, from the signed content.
fn signed_digest(content: &[u8]) -> Result<(Hash, &[u8]), String> {
    let mut r = Reader::new(content);
    let mut field = || r.u32().map_err(|_| "signed content truncated".to_string());
    let (_version, blocks, block_len, alg, len) =
        (field()?, field()?, field()?, field()?, field()?);
    if blocks < 1 {
        return Err("signed content holds no digest".into());
    }
    if u64::from(block_len) != u64::from(len) + 8 {
        return Err(format!(
            "signed content: digest block of {block_len} bytes does not fit a {len}-byte digest"
        ));
    }
    // The low byte names the hash: RSA-PSS 0x101–0x103, RSA PKCS#1 v1.5
    // 0x104–0x106, ECDSA 0x201–0x203 (SHA-256, SHA-384, SHA-512).
    let hash = match (alg >> 8, alg & 0xff) {
        (1..=3, 1 | 4) => Hash::Sha256,
        (1..=3, 2 | 5) => Hash::Sha384,
        (1..=3, 3 | 6) => Hash::Sha512,
        _ => return Err(format!("unknown digest algorithm {alg:#x}")),
    };
    let digest = r
        .bytes(len as usize)
        .map_err(|_| "signed content: digest truncated".to_string())?;
    Ok((hash, digest))
}

/// Verify a module or an `.app`'s own signing block.
pub fn verify(hap: &Hap<'_>, release: Option<crate::Release<'_>>) -> VerificationReport {
    let mut out = VerificationReport {
        min_sdk: 0,
        max_sdk: 0,
        ..VerificationReport::default()
    };
    let err = |code: &str, msg: String, out: &mut VerificationReport| {
        out.errors.push(format!("{code}: {msg}"));
    };
    out.hap_scheme = Some(hap.block.as_ref().map_or("none", |b| b.magic.scheme()));
    let zip = hap.archive();
    let Some(block) = &hap.block else {
        let why = if hap.block_damaged {
            "the signing block before the central directory does not read (inspect says why)"
        } else {
            "no HarmonyOS signing block before the central directory"
        };
        err("HAP_NO_SIGNATURE", why.into(), &mut out);
        return out;
    };
    let Some(sig) = block.get(SubBlockType::Signature) else {
        err(
            "HAP_NO_SIGNATURE",
            "the signing block has no signature sub-block".into(),
            &mut out,
        );
        return out;
    };
    let limits_certs = hap.limits.max_certificates;
    let sd = match pkcs7::parse_limited(sig.value, limits_certs) {
        Ok(sd) => sd,
        Err(e) => {
            err("HAP_SIGNATURE_MALFORMED", e.to_string(), &mut out);
            return out;
        }
    };
    let Some(content) = sd.content else {
        err(
            "HAP_SIGNATURE_MALFORMED",
            "the PKCS#7 carries no content".into(),
            &mut out,
        );
        return out;
    };
    let (hash, expected) = match signed_digest(content) {
        Ok(x) => x,
        Err(m) => {
            err("HAP_SIGNATURE_MALFORMED", m, &mut out);
            return out;
        }
    };

    // 2. The content digest.
    let Some(sections) = Sections::new(zip.data(), block.offset, zip.cd_offset, zip.eocd_offset)
    else {
        err(
            "HAP_ZIP_MALFORMED",
            "the signed sections do not lie in the file".into(),
            &mut out,
        );
        return out;
    };
    let trailing: Vec<&[u8]> = block
        .sub_blocks
        .iter()
        .filter(|s| s.kind != SubBlockType::Signature)
        .map(|s| s.value)
        .collect();
    let actual = sections.with_release(release).chunked_with(hash, &trailing);
    let digest_ok = actual == expected;
    if !digest_ok {
        err(
            "HAP_DIGEST_MISMATCH",
            format!(
                "the package's digest {} is not the signed {}",
                cert::hex(&actual),
                cert::hex(expected)
            ),
            &mut out,
        );
    }

    // 3. The signature, by the leaf the SignerInfo names.
    let mut sig_ok = false;
    // Listed only when the whole package verifies, as for APKs.
    let mut signer_cert = None;
    match sd.signers.first() {
        None => err("HAP_SIGNATURE_MALFORMED", "no SignerInfo".into(), &mut out),
        Some(si) => match sd.certificate_of(si) {
            None => err(
                "HAP_NO_CERTIFICATE",
                "no certificate matches the signer's issuer and serial".into(),
                &mut out,
            ),
            Some(leaf) => match signer::verify(si, leaf, content, false, true) {
                Ok(()) => {
                    sig_ok = true;
                    signer_cert = Some(cert::describe_lenient(leaf).0);
                }
                Err(e) => err(
                    "HAP_SIGNATURE_DID_NOT_VERIFY",
                    format!("signature: {e}"),
                    &mut out,
                ),
            },
        },
    }
    if sd.signers.len() > 1 {
        out.warnings.push(format!(
            "{} SignerInfos; the first was checked",
            sd.signers.len()
        ));
    }

    // 4. The profile.
    match block.get(SubBlockType::Profile) {
        None => out.warnings.push("no profile sub-block".into()),
        Some(p) => match super::profile::read(p.value, limits_certs) {
            Err(e) => err("HAP_PROFILE_MALFORMED", e, &mut out),
            Ok(profile) => {
                match &profile.signed {
                    None => out.warnings.push("the profile is not signed".into()),
                    Some(psd) => match psd.signers.first().map(|si| (si, psd.certificate_of(si))) {
                        Some((si, Some(c))) => {
                            if let Err(e) = signer::verify(si, c, profile.content, false, true) {
                                err(
                                    "HAP_PROFILE_DID_NOT_VERIFY",
                                    format!("profile signature: {e}"),
                                    &mut out,
                                );
                            }
                        }
                        _ => err(
                            "HAP_PROFILE_DID_NOT_VERIFY",
                            "the profile's signer names no certificate it carries".into(),
                            &mut out,
                        ),
                    },
                }
                let package = hap
                    .info
                    .bundle_name
                    .as_deref()
                    .or_else(|| hap.pack.as_ref().and_then(|p| p.bundle_name.as_deref()));
                if let (Some(b), Some(pkg)) = (profile.report.bundle_name.as_deref(), package) {
                    if b != pkg {
                        out.warnings.push(format!(
                            "the profile is for bundle {b}, the package is {pkg} (installation would refuse it)"
                        ));
                    }
                }
                if let (Some(pc), Some(leaf)) = (&profile.report.certificate, &signer_cert) {
                    if pc.sha256 != leaf.sha256 {
                        out.warnings.push(format!(
                            "the profile's certificate ({}) is not the signing certificate ({})",
                            pc.subject, leaf.subject
                        ));
                    }
                }
            }
        },
    }
    out.verified = digest_ok && sig_ok && out.errors.is_empty();
    if out.verified {
        out.signers.extend(signer_cert);
    }
    out.schemes = SchemesVerified {
        hap: out.verified,
        ..SchemesVerified::default()
    };
    out
}
