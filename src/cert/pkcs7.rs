//! PKCS#7 / CMS `SignedData` (RFC 5652), read as BER: JAR signature blocks and
//! iOS signatures are often not strict DER. Only the structure is walked here;
//! certificates are returned as the exact bytes stored.

use thiserror::Error;
use x509_parser::asn1_rs::{Any, Class, FromBer, Tag};
use x509_parser::prelude::{FromDer, X509Certificate};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Pkcs7Error {
    #[error("PKCS#7 at byte {at}: {what}")]
    Malformed { at: usize, what: &'static str },
    #[error("PKCS#7 content type is {0}, not signedData")]
    NotSignedData(String),
    #[error("PKCS#7 holds more than {0} certificates (the max-certificates limit)")]
    TooManyCertificates(usize),
}

/// The signer's identifier: issuer and serial, or a subject key identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerId<'a> {
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    SubjectKeyId(&'a [u8]),
}

/// One `SignerInfo`, borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo<'a> {
    pub id: SignerId<'a>,
    /// `digestAlgorithm` OID, dotted.
    pub digest_algorithm: String,
    /// The `[0] IMPLICIT` signed attributes, whole TLV as stored.
    pub signed_attrs: Option<&'a [u8]>,
    pub signature_algorithm: String,
    pub signature: &'a [u8],
}

/// A `SignedData`: its certificates as stored, and its signers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData<'a> {
    pub certificates: Vec<&'a [u8]>,
    pub signers: Vec<SignerInfo<'a>>,
    /// The encapsulated content (the iOS profile's plist), when present.
    pub content: Option<&'a [u8]>,
}

/// Bound on certificates and signers read from one structure.
const MAX_ITEMS: usize = 64;

struct Cursor<'a> {
    data: &'a [u8],
    /// Offset of `data` in the original input, for messages.
    base: usize,
    origin_len: usize,
}

impl<'a> Cursor<'a> {
    fn at(&self) -> usize {
        self.base
    }
    fn bad(&self, what: &'static str) -> Pkcs7Error {
        Pkcs7Error::Malformed {
            at: self.at(),
            what,
        }
    }
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// Next TLV: (the element, its whole raw bytes, a cursor over its content).
    fn next(&mut self, what: &'static str) -> Result<(Any<'a>, &'a [u8], Cursor<'a>), Pkcs7Error> {
        let (rest, any) = Any::from_ber(self.data).map_err(|_| self.bad(what))?;
        let used = self.data.len() - rest.len();
        let raw = self.data.get(..used).ok_or_else(|| self.bad(what))?;
        let header_len = used.saturating_sub(any.data.len());
        let inner = Cursor {
            data: any.data,
            base: self.base.saturating_add(header_len),
            origin_len: self.origin_len,
        };
        self.base = self.base.saturating_add(used);
        self.data = rest;
        Ok((any, raw, inner))
    }
    fn next_as(
        &mut self,
        tag: Tag,
        what: &'static str,
    ) -> Result<(Any<'a>, &'a [u8], Cursor<'a>), Pkcs7Error> {
        let at = self.at();
        let r = self.next(what)?;
        if r.0.tag() != tag || r.0.class() != Class::Universal {
            return Err(Pkcs7Error::Malformed { at, what });
        }
        Ok(r)
    }
    fn peek_context(&self) -> Option<u32> {
        let (_, any) = Any::from_ber(self.data).ok()?;
        (any.class() == Class::ContextSpecific).then_some(any.tag().0)
    }
}

fn oid(any: &Any<'_>) -> String {
    any.clone()
        .oid()
        .map(|o| o.to_id_string())
        .unwrap_or_else(|_| "?".into())
}

/// First algorithm OID of an `AlgorithmIdentifier` cursor.
fn algorithm(c: &mut Cursor<'_>) -> Result<String, Pkcs7Error> {
    let (_, _, mut inner) = c.next_as(Tag::Sequence, "AlgorithmIdentifier expected")?;
    let (o, _, _) = inner.next_as(Tag::Oid, "algorithm OID expected")?;
    Ok(oid(&o))
}

const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";

/// Parse with the default [`Limits`](crate::Limits).
pub fn parse(data: &[u8]) -> Result<SignedData<'_>, Pkcs7Error> {
    parse_limited(data, crate::Limits::default().max_certificates)
}

/// Parse, refusing a certificate set of more than `max_certificates`.
pub fn parse_limited(data: &[u8], max_certificates: usize) -> Result<SignedData<'_>, Pkcs7Error> {
    let mut top = Cursor {
        data,
        base: 0,
        origin_len: data.len(),
    };
    let (_, _, mut content_info) = top.next_as(Tag::Sequence, "ContentInfo SEQUENCE expected")?;
    let (ct, _, _) = content_info.next_as(Tag::Oid, "contentType OID expected")?;
    let ct = oid(&ct);
    if ct != SIGNED_DATA {
        return Err(Pkcs7Error::NotSignedData(ct));
    }
    let (_, _, mut explicit) = content_info.next("[0] content expected")?;
    let (_, _, mut sd) = explicit.next_as(Tag::Sequence, "SignedData SEQUENCE expected")?;
    sd.next_as(Tag::Integer, "version expected")?;
    sd.next_as(Tag::Set, "digestAlgorithms SET expected")?;
    let (_, _, mut encap) = sd.next_as(Tag::Sequence, "encapContentInfo expected")?;
    encap.next_as(Tag::Oid, "eContentType expected")?;
    let content = if encap.is_empty() {
        None
    } else {
        let (_, _, mut explicit) = encap.next("eContent expected")?;
        let (octets, _, inner) = explicit.next("eContent OCTET STRING expected")?;
        // Constructed (BER) octet strings hold their bytes in pieces; the
        // common single-piece case is returned, others are left out.
        if octets.header.is_constructed() {
            let mut inner = inner;
            inner
                .next("eContent piece expected")
                .ok()
                .map(|(a, _, _)| a.data)
        } else {
            Some(octets.data)
        }
    };

    let mut certificates = Vec::new();
    if sd.peek_context() == Some(0) {
        let (_, _, mut set) = sd.next("certificates expected")?;
        while !set.is_empty() {
            if certificates.len() >= max_certificates {
                return Err(Pkcs7Error::TooManyCertificates(max_certificates));
            }
            let (any, raw, _) = set.next("certificate expected")?;
            // Only X.509 certificates (SEQUENCE); attribute certs etc. are skipped.
            if any.tag() == Tag::Sequence && any.class() == Class::Universal {
                certificates.push(raw);
            }
        }
    }
    if sd.peek_context() == Some(1) {
        sd.next("crls expected")?;
    }
    let (_, _, mut infos) = sd.next_as(Tag::Set, "signerInfos SET expected")?;
    let mut signers = Vec::new();
    while !infos.is_empty() && signers.len() < MAX_ITEMS {
        let (_, _, mut si) = infos.next_as(Tag::Sequence, "SignerInfo expected")?;
        si.next_as(Tag::Integer, "SignerInfo version expected")?;
        let (sid, _, mut sid_inner) = si.next("signer identifier expected")?;
        let id = if sid.class() == Class::ContextSpecific {
            SignerId::SubjectKeyId(sid.data)
        } else {
            let (_, issuer, _) = sid_inner.next_as(Tag::Sequence, "issuer Name expected")?;
            let (serial, _, _) = sid_inner.next_as(Tag::Integer, "serial expected")?;
            SignerId::IssuerSerial {
                issuer,
                serial: serial.data,
            }
        };
        let digest_algorithm = algorithm(&mut si)?;
        let signed_attrs = if si.peek_context() == Some(0) {
            Some(si.next("signedAttrs expected")?.1)
        } else {
            None
        };
        let signature_algorithm = algorithm(&mut si)?;
        let (sig, _, _) = si.next_as(Tag::OctetString, "signature OCTET STRING expected")?;
        signers.push(SignerInfo {
            id,
            digest_algorithm,
            signed_attrs,
            signature_algorithm,
            signature: sig.data,
        });
    }
    let _ = top.origin_len;
    Ok(SignedData {
        certificates,
        signers,
        content,
    })
}

fn trim_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&x| x == 0).count();
    b.get(n..).unwrap_or(&[])
}

impl<'a> SignedData<'a> {
    /// The certificate a signer names (issuer + serial, or key identifier).
    /// The bag may hold several certificates in any order, chains included.
    pub fn certificate_of(&self, signer: &SignerInfo<'a>) -> Option<&'a [u8]> {
        self.certificates.iter().copied().find(|raw| {
            let Ok((_, cert)) = X509Certificate::from_der(raw) else {
                return false;
            };
            match &signer.id {
                SignerId::IssuerSerial { issuer, serial } => {
                    trim_zeros(cert.tbs_certificate.raw_serial()) == trim_zeros(serial)
                        && (cert.tbs_certificate.issuer.as_raw() == *issuer
                            || cert.tbs_certificate.issuer.to_string()
                                == x509_parser::x509::X509Name::from_der(issuer)
                                    .map(|(_, n)| n.to_string())
                                    .unwrap_or_default())
                }
                SignerId::SubjectKeyId(ski) => cert.tbs_certificate.extensions().iter().any(|e| {
                    matches!(
                        e.parsed_extension(),
                        x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) if k.0 == *ski
                    )
                }),
            }
        })
    }
}
