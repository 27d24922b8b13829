//! iOS packages: placeholder while the reader is written.
pub mod cgbi;
pub mod macho;
pub mod profile;

/// Parse a plist (XML or binary) from bytes.
pub fn plist_value(data: &[u8]) -> Result<plist::Value, String> {
    plist::Value::from_reader(std::io::Cursor::new(data)).map_err(|e| e.to_string())
}
