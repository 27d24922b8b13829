//! Checking one PKCS#7 `SignerInfo` over the content it signs (RFC 5652
//! §5.4): the signed attributes' content type and message digest, then the
//! signature over the attributes (or over the content when there are none).
//! Shared by JAR signatures (v1) and HarmonyOS signing blocks.

use super::pkcs7::SignerInfo;
use crate::crypto::{self, Hash, SigAlg};
use thiserror::Error;
use x509_parser::asn1_rs::{Any, FromBer, Tag};

/// Why a `SignerInfo` did not verify. Callers name these in their own
/// terms (apksig's issue names for v1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignerError {
    /// Digest or signature algorithm we (and the platform) do not accept.
    #[error("unsupported algorithm ({0})")]
    UnsupportedAlgorithm(String),
    /// The certificate or the signed attributes do not parse.
    #[error("{0}")]
    Parse(String),
    /// Signed attributes without a content-type attribute.
    #[error("signed attributes carry no content type")]
    NoContentType,
    /// Signed content type other than `data`, as a dotted OID.
    #[error("signed content type is {0}, not data")]
    WrongContentType(String),
    #[error("signed attributes carry no message digest")]
    NoMessageDigest,
    #[error("several message digests in signed attributes")]
    SeveralMessageDigests,
    /// The signed message digest is not the content's.
    #[error("signed message digest does not match the content")]
    DigestMismatch,
    /// The signature does not verify with the certificate's key.
    #[error("signature does not verify: {0}")]
    BadSignature(String),
}

/// Hash and signature algorithm of a SignerInfo, from its OIDs. RSASSA-PSS
/// (`1.2.840.113549.1.1.10`) only when `allow_pss`: JAR signatures never
/// accepted it, HarmonyOS signs with it.
pub fn algorithm(si: &SignerInfo<'_>, allow_pss: bool) -> Option<SigAlg> {
    let digest = match si.digest_algorithm.as_str() {
        "1.2.840.113549.2.5" => Hash::Md5,
        "1.3.14.3.2.26" => Hash::Sha1,
        "2.16.840.1.101.3.4.2.4" => Hash::Sha224,
        "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
        "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
        "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
        _ => return None,
    };
    Some(match si.signature_algorithm.as_str() {
        "1.2.840.113549.1.1.1"
        | "1.2.840.113549.1.1.4"
        | "1.2.840.113549.1.1.5"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.14" => SigAlg::RsaPkcs1(digest),
        "1.2.840.113549.1.1.10" if allow_pss => SigAlg::RsaPss(digest),
        "1.2.840.10045.2.1"
        | "1.2.840.10045.4.1"
        | "1.2.840.10045.4.3.1"
        | "1.2.840.10045.4.3.2"
        | "1.2.840.10045.4.3.3"
        | "1.2.840.10045.4.3.4" => SigAlg::Ecdsa(digest),
        "1.2.840.10040.4.1"
        | "1.2.840.10040.4.3"
        | "2.16.840.1.101.3.4.3.1"
        | "2.16.840.1.101.3.4.3.2" => SigAlg::Dsa(digest),
        _ => return None,
    })
}

/// Verify `si` over `content` with the key of `cert` (DER). With signed
/// attributes, their content type must be `data` when
/// `require_content_type` (Android checks it from N on) and their one
/// message digest must be the content's.
pub fn verify(
    si: &SignerInfo<'_>,
    cert: &[u8],
    content: &[u8],
    require_content_type: bool,
    allow_pss: bool,
) -> Result<(), SignerError> {
    let alg = algorithm(si, allow_pss).ok_or_else(|| {
        SignerError::UnsupportedAlgorithm(format!(
            "digest {} with signature {}",
            si.digest_algorithm, si.signature_algorithm
        ))
    })?;
    let hash = match alg {
        SigAlg::RsaPkcs1(h) | SigAlg::RsaPss(h) | SigAlg::Ecdsa(h) | SigAlg::Dsa(h) => h,
    };
    let spki = {
        use x509_parser::prelude::{FromDer, X509Certificate};
        let (_, c) =
            X509Certificate::from_der(cert).map_err(|e| SignerError::Parse(e.to_string()))?;
        c.tbs_certificate.subject_pki.raw.to_vec()
    };
    let signed: Vec<u8> = match si.signed_attrs {
        None => content.to_vec(),
        Some(attrs) => {
            check_signed_attrs(attrs, hash, content, require_content_type)?;
            // The signature covers the attributes as a DER SET, not as [0].
            let mut der = attrs.to_vec();
            if let Some(first) = der.first_mut() {
                *first = 0x31;
            }
            der
        }
    };
    crypto::verify(alg, &spki, &signed, si.signature).map_err(SignerError::BadSignature)
}

/// Signed attributes: content type `data` and one message digest equal to the content's.
fn check_signed_attrs(
    attrs: &[u8],
    hash: Hash,
    content: &[u8],
    require_content_type: bool,
) -> Result<(), SignerError> {
    let parse = |what: &str| SignerError::Parse(format!("signed attributes: {what}"));
    let (_, set) = Any::from_ber(attrs).map_err(|_| parse("not DER"))?;
    let mut rest = set.data;
    let mut digests: Vec<&[u8]> = Vec::new();
    let mut content_type: Option<String> = None;
    while !rest.is_empty() {
        let (r, attr) = Any::from_ber(rest).map_err(|_| parse("bad attribute"))?;
        rest = r;
        let (r2, oid) = Any::from_ber(attr.data).map_err(|_| parse("bad attribute type"))?;
        let oid = oid.oid().map(|o| o.to_id_string()).unwrap_or_default();
        let (_, values) = Any::from_ber(r2).map_err(|_| parse("bad attribute values"))?;
        if oid == "1.2.840.113549.1.9.3" {
            let first = Any::from_ber(values.data).ok().map(|(_, v)| v);
            content_type = Some(
                first
                    .and_then(|v| v.oid().ok().map(|o| o.to_id_string()))
                    .unwrap_or_default(),
            );
        }
        if oid == "1.2.840.113549.1.9.4" {
            let mut v = values.data;
            while !v.is_empty() {
                let (r3, octets) = Any::from_ber(v).map_err(|_| parse("bad message digest"))?;
                v = r3;
                if octets.tag() == Tag::OctetString {
                    digests.push(octets.data);
                }
            }
        }
    }
    match content_type.as_deref() {
        _ if !require_content_type => {}
        None => return Err(SignerError::NoContentType),
        Some("1.2.840.113549.1.7.1") => {}
        Some(other) => return Err(SignerError::WrongContentType(other.to_string())),
    }
    match digests.as_slice() {
        [] => Err(SignerError::NoMessageDigest),
        [d] if *d == crypto::digest(hash, content).as_slice() => Ok(()),
        [_] => Err(SignerError::DigestMismatch),
        _ => Err(SignerError::SeveralMessageDigests),
    }
}
