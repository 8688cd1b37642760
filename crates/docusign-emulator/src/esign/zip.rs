//! A streaming ZIP writer (method "stored", no compression) over [`Blob`]s: sizes and CRC-32s are
//! known before the first byte, so entries need no data descriptors and any unzip tool reads the
//! archive.

use super::blob::Blob;

/// Why an archive could not be built.
#[derive(Debug)]
pub(crate) struct TooLarge;

fn le16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn le32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// Builds a ZIP of `entries` (file name, content), every entry dated `(dos_date, dos_time)`.
/// Fails when the archive would need ZIP64 (4 GiB or more).
pub(crate) fn build(entries: Vec<(String, Blob)>, dos: (u16, u16)) -> Result<Blob, TooLarge> {
    let (date, time) = dos;
    let mut out = Blob::new();
    let mut central = Vec::new();
    let mut offset: u64 = 0;
    let count = u16::try_from(entries.len()).map_err(|_| TooLarge)?;
    for (name, content) in entries {
        let crc = content.crc32();
        let size = u32::try_from(content.len()).map_err(|_| TooLarge)?;
        let name = name.into_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| TooLarge)?;
        let local_at = u32::try_from(offset).map_err(|_| TooLarge)?;

        let mut local = Vec::with_capacity(30 + name.len());
        le32(&mut local, 0x0403_4b50);
        le16(&mut local, 20); // version needed
        le16(&mut local, 0x0800); // UTF-8 names
        le16(&mut local, 0); // stored
        le16(&mut local, time);
        le16(&mut local, date);
        le32(&mut local, crc);
        le32(&mut local, size);
        le32(&mut local, size);
        le16(&mut local, name_len);
        le16(&mut local, 0);
        local.extend_from_slice(&name);
        offset += local.len() as u64 + content.len();
        out.push_bytes(local);
        out.append(content);

        le32(&mut central, 0x0201_4b50);
        le16(&mut central, 20); // made by
        le16(&mut central, 20); // needed
        le16(&mut central, 0x0800);
        le16(&mut central, 0);
        le16(&mut central, time);
        le16(&mut central, date);
        le32(&mut central, crc);
        le32(&mut central, size);
        le32(&mut central, size);
        le16(&mut central, name_len);
        le16(&mut central, 0); // extra
        le16(&mut central, 0); // comment
        le16(&mut central, 0); // disk
        le16(&mut central, 0); // internal attributes
        le32(&mut central, 0); // external attributes
        le32(&mut central, local_at);
        central.extend_from_slice(&name);
    }
    let cd_at = u32::try_from(offset).map_err(|_| TooLarge)?;
    let cd_len = u32::try_from(central.len()).map_err(|_| TooLarge)?;
    let mut end = central;
    le32(&mut end, 0x0605_4b50);
    le16(&mut end, 0);
    le16(&mut end, 0);
    le16(&mut end, count);
    le16(&mut end, count);
    le32(&mut end, cd_len);
    le32(&mut end, cd_at);
    le16(&mut end, 0);
    if offset + end.len() as u64 > u64::from(u32::MAX) {
        return Err(TooLarge);
    }
    out.push_bytes(end);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_layout() {
        let mut a = Blob::new();
        a.push_bytes(b"%PDF-a".to_vec());
        let mut b = Blob::new();
        b.push_bytes(b"%PDF-".to_vec());
        b.push_padding(70_000);
        let zip = build(vec![("a.pdf".into(), a), ("b.pdf".into(), b)], (0x21, 0));
        let bytes = zip.map(|z| z.to_vec()).unwrap_or_default();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let eocd = bytes.len() - 22;
        assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([bytes[eocd + 10], bytes[eocd + 11]]), 2);
    }
}
