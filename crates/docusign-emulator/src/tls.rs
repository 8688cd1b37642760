//! HTTPS material made at start-up: a local CA and a server certificate it signs.
//!
//! The CA certificate is written to `data_dir/ca.pem`; clients trust it explicitly (reqwest
//! `add_root_certificate`, Python `Configuration.ssl_ca_cert`, Node `NODE_EXTRA_CA_CERTS`).
//! A persistent emulator keeps its CA (`ca.pem` and its key `ca_key.pem`, mode 0600) and signs a
//! new server certificate with it at each start, so a client that trusts `ca.pem` keeps working
//! across restarts.
//! The server certificate's SANs are `127.0.0.1`, `localhost` and `::1`. Keys are ECDSA P-256;
//! rustls uses the *ring* provider only.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::EmulatorError;

/// The CA's private key file in the data folder of a persistent emulator (PEM, mode 0600).
pub(crate) const CA_KEY_FILE: &str = "ca_key.pem";

/// The CA PEM to publish, its key (PEM, secret) and the rustls server configuration.
pub(crate) struct TlsMaterial {
    pub ca_pem: String,
    pub ca_key_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

/// A CA kept from an earlier run: its certificate and key, both PEM.
pub(crate) struct KeptCa {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The DER bytes of the first PEM block of `pem`.
fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .map(str::trim)
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()
        .filter(|d| !d.is_empty())
}

fn tls_err(what: &str) -> impl Fn(rcgen::Error) -> EmulatorError + '_ {
    move |e| EmulatorError::Tls(format!("{what}: {e}"))
}

/// Makes (or, with `kept`, reuses) a CA, a server certificate for the loopback names, and the
/// rustls config (ring provider, TLS 1.2 and 1.3, ALPN h2 and http/1.1).
pub(crate) fn make_tls(kept: Option<KeptCa>) -> Result<TlsMaterial, EmulatorError> {
    let now = time::OffsetDateTime::now_utc();
    let day = time::Duration::days(1);

    let kept = kept.and_then(|k| {
        let key = KeyPair::from_pem(&k.key_pem).ok()?;
        let der = pem_to_der(&k.cert_pem)?;
        Some((key, der, k.cert_pem))
    });
    let (ca_key, kept) = match kept {
        Some((key, der, pem)) => (key, Some((der, pem))),
        None => (KeyPair::generate().map_err(tls_err("CA key"))?, None),
    };
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_err("CA"))?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "DocuSign Emulator Local CA");
    dn.push(DnType::OrganizationName, "docusign-emulator (testing only)");
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params.not_before = now - day;
    ca_params.not_after = now + day * 3650;
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .map_err(tls_err("CA certificate"))?;

    let server_key = KeyPair::generate().map_err(tls_err("server key"))?;
    let mut params = CertificateParams::new(vec![
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        "::1".to_owned(),
    ])
    .map_err(tls_err("server certificate"))?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    // OpenSSL's X509_STRICT (Python 3.13's default) wants an Authority Key Identifier on leaves.
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - day;
    params.not_after = now + day * 397;
    let server_cert = params
        .signed_by(&server_key, &ca_cert, &ca_key)
        .map_err(tls_err("server certificate"))?;

    // The kept CA's own certificate (same name and key as `ca_cert`) is the one clients trust.
    let (ca_der, ca_pem) = match kept {
        Some((der, pem)) => (CertificateDer::from(der), pem),
        None => (ca_cert.der().clone(), ca_cert.pem()),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone(), ca_der];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| EmulatorError::Tls(format!("protocol versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| EmulatorError::Tls(format!("server certificate: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    Ok(TlsMaterial {
        ca_pem,
        ca_key_pem: ca_key.serialize_pem(),
        server_config: Arc::new(config),
    })
}
