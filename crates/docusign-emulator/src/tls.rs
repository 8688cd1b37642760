//! HTTPS material made at start-up: a throw-away CA and a server certificate it signs.
//!
//! The CA certificate is written to `data_dir/ca.pem`; clients trust it explicitly (reqwest
//! `add_root_certificate`, Python `Configuration.ssl_ca_cert`, Node `NODE_EXTRA_CA_CERTS`).
//! The server certificate's SANs are `127.0.0.1`, `localhost` and `::1`. Keys are ECDSA P-256;
//! rustls uses the *ring* provider only.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::EmulatorError;

/// The CA PEM to publish and the rustls server configuration.
pub(crate) struct TlsMaterial {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

fn tls_err(what: &str) -> impl Fn(rcgen::Error) -> EmulatorError + '_ {
    move |e| EmulatorError::Tls(format!("{what}: {e}"))
}

/// Makes a CA, a server certificate for the loopback names, and the rustls config (ring
/// provider, TLS 1.2 and 1.3, ALPN h2 and http/1.1).
pub(crate) fn make_tls() -> Result<TlsMaterial, EmulatorError> {
    let now = time::OffsetDateTime::now_utc();
    let day = time::Duration::days(1);

    let ca_key = KeyPair::generate().map_err(tls_err("CA key"))?;
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

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> =
        vec![server_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| EmulatorError::Tls(format!("protocol versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| EmulatorError::Tls(format!("server certificate: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    Ok(TlsMaterial {
        ca_pem: ca_cert.pem(),
        server_config: Arc::new(config),
    })
}
