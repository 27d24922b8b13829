//! JAR manifest format (MANIFEST.MF, *.SF): sections of `Name: value` lines,
//! 72-byte lines continued by a leading space, sections split by blank lines.
//! Each section keeps its exact bytes: the .SF digests them as stored.

/// One section: its attributes (keys lowercased) and its bytes as stored,
/// trailing blank line included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section<'a> {
    pub bytes: &'a [u8],
    pub attrs: Vec<(String, String)>,
}

impl Section<'_> {
    pub fn get(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
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
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
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
                v.push_str(&String::from_utf8_lossy(cont));
            }
        } else {
            if let Some(kv) = current.take() {
                attrs.push(kv);
            }
            let text = String::from_utf8_lossy(line);
            if let Some((k, v)) = text.split_once(':') {
                current = Some((
                    k.trim().to_ascii_lowercase(),
                    v.strip_prefix(' ').unwrap_or(v).to_string(),
                ));
            }
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
}
