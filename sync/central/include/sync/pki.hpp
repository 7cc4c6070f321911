// The directorate's small public-key infrastructure for sync, kept as files in one directory:
// a certificate authority, the central office's server certificate, and per post a TLS client
// certificate and a record-signing certificate, both naming the station id; revocation by CRL.
// All keys are Ed25519; private keys are written with mode 0600.
#pragma once

#include <string>
#include <vector>

namespace borderpost::sync::pki {

// Files in the authority's directory.
inline constexpr const char* kCaKey = "ca.key";
inline constexpr const char* kCaCert = "ca.crt";
inline constexpr const char* kCrl = "crl.pem";
inline constexpr const char* kRegister = "issued.json";  // every certificate issued, and revocations

void create_authority(const std::string& ca_dir, const std::string& name, int days);

// Writes server.crt and server.key into out_dir; `names` are DNS names or IP addresses.
void issue_server(const std::string& ca_dir, const std::string& out_dir, const std::vector<std::string>& names, int days);

// Writes station.crt/station.key (TLS client) and signing.crt/signing.key (records) into out_dir,
// plus a copy of ca.crt so the post can check the central office.
void issue_station(const std::string& ca_dir, const std::string& out_dir, const std::string& station_id, int days);

// Revokes every certificate issued to the station and rewrites crl.pem. Returns how many.
int revoke_station(const std::string& ca_dir, const std::string& station_id, int crl_days = 30);

// Re-signs crl.pem with a fresh validity (the central office refuses every station once it expires).
void refresh_crl(const std::string& ca_dir, int crl_days = 30);

}  // namespace borderpost::sync::pki
