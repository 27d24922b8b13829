//! Signature checks over a SubjectPublicKeyInfo, by algorithm, with the
//! RustCrypto crates. The message is hashed here; callers pass raw bytes.

use rsa::pkcs8::DecodePublicKey;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

/// Hash functions the APK signature schemes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// Signature algorithms, by key type and padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigAlg {
    RsaPkcs1(Hash),
    RsaPss(Hash),
    Ecdsa(Hash),
    Dsa(Hash),
}

pub fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Md5 => crate::md5::Md5::digest(data).to_vec(),
        Hash::Sha1 => Sha1::digest(data).to_vec(),
        Hash::Sha224 => Sha224::digest(data).to_vec(),
        Hash::Sha256 => Sha256::digest(data).to_vec(),
        Hash::Sha384 => Sha384::digest(data).to_vec(),
        Hash::Sha512 => Sha512::digest(data).to_vec(),
    }
}

/// An incremental hash, for bytes that arrive in pieces.
pub fn hasher(hash: Hash) -> Box<dyn sha2::digest::DynDigest + Send> {
    match hash {
        Hash::Md5 => Box::new(crate::md5::Md5::new()),
        Hash::Sha1 => Box::new(Sha1::new()),
        Hash::Sha224 => Box::new(Sha224::new()),
        Hash::Sha256 => Box::new(Sha256::new()),
        Hash::Sha384 => Box::new(Sha384::new()),
        Hash::Sha512 => Box::new(Sha512::new()),
    }
}

/// Verify `sig` over `msg` with the key in `spki` (DER SubjectPublicKeyInfo).
pub fn verify(alg: SigAlg, spki: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), String> {
    let bad = |e: &dyn std::fmt::Display| e.to_string();
    match alg {
        SigAlg::RsaPkcs1(h) => {
            let key = rsa_key(spki)?;
            let hashed = digest(h, msg);
            let scheme = match h {
                Hash::Md5 => rsa::Pkcs1v15Sign::new::<crate::md5::Md5>(),
                Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                Hash::Sha224 => rsa::Pkcs1v15Sign::new::<Sha224>(),
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
            };
            key.verify(scheme, &hashed, sig).map_err(|e| bad(&e))
        }
        SigAlg::RsaPss(h) => {
            let key = rsa_key(spki)?;
            let hashed = digest(h, msg);
            // APK Signature Scheme: salt length = digest length, MGF1 with the same hash.
            let scheme = match h {
                Hash::Sha256 => rsa::Pss::new_with_salt::<Sha256>(32),
                Hash::Sha512 => rsa::Pss::new_with_salt::<Sha512>(64),
                Hash::Sha384 => rsa::Pss::new_with_salt::<Sha384>(48),
                Hash::Sha224 => rsa::Pss::new_with_salt::<Sha224>(28),
                Hash::Sha1 | Hash::Md5 => rsa::Pss::new_with_salt::<Sha1>(20),
            };
            key.verify(scheme, &hashed, sig).map_err(|e| bad(&e))
        }
        SigAlg::Ecdsa(h) => ecdsa(h, spki, msg, sig),
        SigAlg::Dsa(h) => {
            let key = dsa::VerifyingKey::from_public_key_der(spki).map_err(|e| bad(&e))?;
            let sig = dsa::Signature::try_from(sig).map_err(|e| bad(&e))?;
            use rsa::signature::DigestVerifier;
            match h {
                Hash::Sha1 | Hash::Md5 => key.verify_digest(Sha1::new_with_prefix(msg), &sig),
                Hash::Sha224 => key.verify_digest(Sha224::new_with_prefix(msg), &sig),
                Hash::Sha256 => key.verify_digest(Sha256::new_with_prefix(msg), &sig),
                Hash::Sha384 => key.verify_digest(Sha384::new_with_prefix(msg), &sig),
                Hash::Sha512 => key.verify_digest(Sha512::new_with_prefix(msg), &sig),
            }
            .map_err(|e| bad(&e))
        }
    }
}

/// An RSA key of any size Android accepts (the `rsa` crate's default refuses
/// moduli over 4096 bits; APKs are signed with up to 16384).
fn rsa_key(spki: &[u8]) -> Result<rsa::RsaPublicKey, String> {
    use x509_parser::prelude::FromDer;
    let (_, info) =
        x509_parser::x509::SubjectPublicKeyInfo::from_der(spki).map_err(|e| e.to_string())?;
    match info.parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(k)) => rsa::RsaPublicKey::new_with_max_size(
            rsa::BigUint::from_bytes_be(k.modulus),
            rsa::BigUint::from_bytes_be(k.exponent),
            16384,
        )
        .map_err(|e| e.to_string()),
        _ => rsa::RsaPublicKey::from_public_key_der(spki).map_err(|e| e.to_string()),
    }
}

/// ECDSA's bits2int: the leftmost `len` bytes of the hash, or the hash
/// left-padded with zeros when shorter (same integer value). RustCrypto's
/// prehash check refuses short hashes (SHA-1 on P-384), Android does not.
fn fit(hash: &[u8], len: usize) -> Vec<u8> {
    if hash.len() >= len {
        return hash.get(..len).unwrap_or(hash).to_vec();
    }
    let mut out = vec![0u8; len - hash.len()];
    out.extend_from_slice(hash);
    out
}

/// ECDSA over P-256, P-384 or P-521 (the curve comes from the key), any hash.
fn ecdsa(h: Hash, spki: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), String> {
    use rsa::signature::hazmat::PrehashVerifier;
    let hashed = digest(h, msg);
    let bad = |e: &dyn std::fmt::Display| e.to_string();
    if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
        let s = p256::ecdsa::Signature::from_der(sig).map_err(|e| bad(&e))?;
        return key
            .verify_prehash(&fit(&hashed, 32), &s)
            .map_err(|e| bad(&e));
    }
    if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(spki) {
        let s = p384::ecdsa::Signature::from_der(sig).map_err(|e| bad(&e))?;
        return key
            .verify_prehash(&fit(&hashed, 48), &s)
            .map_err(|e| bad(&e));
    }
    if let Ok(key) = p521::PublicKey::from_public_key_der(spki) {
        let key = p521::ecdsa::VerifyingKey::from_affine(*key.as_affine()).map_err(|e| bad(&e))?;
        let s = p521::ecdsa::Signature::from_der(sig).map_err(|e| bad(&e))?;
        // P-521's order is 521 bits: a 512-bit hash is used whole, shorter ones padded.
        return key
            .verify_prehash(&fit(&hashed, 66.min(hashed.len().max(33))), &s)
            .map_err(|e| bad(&e));
    }
    Err("unsupported EC key (P-256, P-384 and P-521 are)".into())
}
