//! JAR manifest format (MANIFEST.MF, *.SF): sections of `Name: value` lines,
//! 72-byte lines continued by a leading space, sections split by blank lines.
//! Each section keeps its exact bytes: the .SF digests them as stored.

use std::borrow::Cow;

/// One section: its attributes and its bytes as stored, trailing blank line
/// included. Keys and values borrow the manifest's text (a value is owned only
/// when it was continued over several lines): a big APK's manifest has
/// thousands of sections, and v1 verification reads every one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section<'a> {
    pub bytes: &'a [u8],
    pub attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl Section<'_> {
    /// The value of attribute `key`; keys match without regard to ASCII case.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_joined(key, "")
    }

    /// The value of the attribute named `head` followed by `tail` (say
    /// `SHA-256` and `-Digest`), without building the name.
    pub fn get_joined(&self, head: &str, tail: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| {
                k.len() == head.len() + tail.len()
                    && k.split_at_checked(head.len()).is_some_and(|(h, t)| {
                        h.eq_ignore_ascii_case(head) && t.eq_ignore_ascii_case(tail)
                    })
            })
            .map(|(_, v)| v.as_ref())
    }

    pub fn name(&self) -> Option<&str> {
        self.get("Name")
    }
}

/// Bound on sections read from one manifest.
const MAX_SECTIONS: usize = 1 << 20;

/// Split a manifest into its main section and the individual sections.
pub fn parse(data: &[u8]) -> (Section<'_>, Vec<Section<'_>>) {
    let mut sections = Vec::new();
    let mut start = 0usize;
    let mut pos = 0usize;
    let mut attrs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let mut current: Option<(Cow<'_, str>, Cow<'_, str>)> = None;
    while pos < data.len() && sections.len() < MAX_SECTIONS {
        let rest = data.get(pos..).unwrap_or(&[]);
        let line_len = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = rest.get(..line_len).unwrap_or(&[]);
        let mut next = pos + line_len;
        if data.get(next) == Some(&b'\r') {
            next += 1;
        }
        if data.get(next) == Some(&b'\n')
            && (next == pos + line_len || data.get(next - 1) == Some(&b'\r'))
        {
            next += 1;
        }
        if line.is_empty() {
            if let Some(kv) = current.take() {
                attrs.push(kv);
            }
            // A blank line ends the section (several blank lines are one end).
            if !attrs.is_empty() || start == 0 {
                sections.push(Section {
                    bytes: data.get(start..next).unwrap_or(&[]),
                    attrs: std::mem::take(&mut attrs),
                });
            }
            start = next;
        } else if let Some(cont) = line.strip_prefix(b" ") {
            if let Some((_, v)) = current.as_mut() {
                v.to_mut().push_str(&String::from_utf8_lossy(cont));
            }
        } else {
            if let Some(kv) = current.take() {
                attrs.push(kv);
            }
            current = match String::from_utf8_lossy(line) {
                Cow::Borrowed(text) => text.split_once(':').map(|(k, v)| {
                    (
                        Cow::Borrowed(k.trim()),
                        Cow::Borrowed(v.strip_prefix(' ').unwrap_or(v)),
                    )
                }),
                Cow::Owned(text) => text.split_once(':').map(|(k, v)| {
                    (
                        Cow::Owned(k.trim().to_string()),
                        Cow::Owned(v.strip_prefix(' ').unwrap_or(v).to_string()),
                    )
                }),
            };
        }
        pos = next;
    }
    if let Some(kv) = current.take() {
        attrs.push(kv);
    }
    if !attrs.is_empty() || start < data.len() {
        sections.push(Section {
            bytes: data.get(start..).unwrap_or(&[]),
            attrs,
        });
    }
    let mut it = sections.into_iter();
    let main = it.next().unwrap_or_default();
    (main, it.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keep_their_bytes() {
        let mf = b"Manifest-Version: 1.0\r\nCreated-By: x\r\n\r\nName: a/b.txt\r\nSHA-256-Digest: AAA\r\n BBB\r\n\r\nName: c\r\nSHA1-Digest: x\r\n\r\n";
        let (main, s) = parse(mf);
        assert_eq!(main.get("created-by"), Some("x"));
        assert_eq!(
            main.bytes,
            b"Manifest-Version: 1.0\r\nCreated-By: x\r\n\r\n"
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name(), Some("a/b.txt"));
        assert_eq!(s[0].get("SHA-256-Digest"), Some("AAABBB"));
        assert_eq!(
            s[0].bytes,
            b"Name: a/b.txt\r\nSHA-256-Digest: AAA\r\n BBB\r\n\r\n"
        );
        assert_eq!(s[1].get("sha1-digest"), Some("x"));
    }

    #[test]
    fn joined_keys_match_whole_names_in_any_case() {
        let mf = b"Manifest-Version: 1.0\r\n\r\nName: a\r\nsha-256-digest: v\r\nSHA-1-Digest-Manifest: w\r\n\r\n";
        let (_, s) = parse(mf);
        assert_eq!(s[0].get_joined("SHA-256", "-Digest"), Some("v"));
        assert_eq!(s[0].get_joined("SHA-1", "-Digest"), None);
        assert_eq!(s[0].get_joined("SHA-1", "-Digest-Manifest"), Some("w"));
        assert_eq!(s[0].get_joined("SHA-25", "6-DIGEST"), Some("v"));
        assert_eq!(s[0].get_joined("SHA-256", "-Digest-"), None);
    }
}
